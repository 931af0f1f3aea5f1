/** Where accounts live: DELETE /me's step 3 removes the user from the Cognito user pool. */
import { AdminDeleteUserCommand, type CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

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

export class CognitoUserDirectory implements UserDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async deleteUser(username: string, signal: AbortSignal): Promise<void> {
    try {
      await this.client.send(new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: username }), { abortSignal: signal });
    } catch (err) {
      // Already gone: the step is done.
      if ((err as { name?: unknown } | null)?.name === "UserNotFoundException") return;
      throw new UserDirectoryUnavailableError("Cognito could not delete the user", { cause: err });
    }
  }
}
