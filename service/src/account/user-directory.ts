/** Where accounts live: DELETE /me's step 3 removes the user from the Cognito user pool. */
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

export interface UserDirectory {
  /**
   * Delete the user; resolves once the user is gone, also when they already were (a repeated
   * DELETE /me, or an admin got there first). Throws UserDirectoryUnavailableError otherwise.
   */
  deleteUser(username: string, signal: AbortSignal): Promise<void>;
}

/** Cognito refused or could not be reached: DELETE /me answers 503 and a repeat resumes here. */
export class UserDirectoryUnavailableError extends Error {
  override readonly name = "UserDirectoryUnavailableError";
}

export type CognitoSdk = typeof import("@aws-sdk/client-cognito-identity-provider");

/**
 * AdminDeleteUser on one pool. The Cognito SDK is loaded on the first deletion, not at start: it
 * is a tenth of the bundle, and nothing but DELETE /me needs it (startup time is a target).
 */
export class CognitoUserDirectory implements UserDirectory {
  private client: CognitoIdentityProviderClient | undefined;

  constructor(
    /** Makes the client once the SDK is loaded. */
    private readonly clientOf: (sdk: CognitoSdk) => CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async deleteUser(username: string, signal: AbortSignal): Promise<void> {
    const sdk = await import("@aws-sdk/client-cognito-identity-provider");
    this.client ??= this.clientOf(sdk);
    try {
      await this.client.send(new sdk.AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: username }), { abortSignal: signal });
    } catch (err) {
      // Already gone: the step is done.
      if ((err as { name?: unknown } | null)?.name === "UserNotFoundException") return;
      throw new UserDirectoryUnavailableError("Cognito could not delete the user", { cause: err });
    }
  }

  destroy(): void {
    this.client?.destroy();
  }
}
