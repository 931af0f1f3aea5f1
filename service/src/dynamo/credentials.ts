import { defaultProvider } from "@aws-sdk/credential-provider-node";

/** What a request is signed with. The task role's keys are temporary: they carry an expiration. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** Called before every attempt; must be cheap (memoized) and hand out fresh keys before old ones expire. */
export type CredentialsProvider = () => Promise<AwsCredentials>;

/**
 * The AWS SDK's own default chain (environment, shared files, web identity, then the container
 * endpoint — `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` at 169.254.170.2 on ECS, or
 * `AWS_CONTAINER_CREDENTIALS_FULL_URI`). It memoizes the keys and fetches new ones in the background
 * once they are within 5 minutes of expiring, so the task role's rotating credentials never lapse
 * and a request never waits for a refresh. Exactly what the SDK client used; only the client went.
 */
export function awsCredentialChain(): CredentialsProvider {
  return defaultProvider();
}

/** Fixed keys, for an endpoint that checks none (DynamoDB Local). */
export function staticCredentials(credentials: AwsCredentials): CredentialsProvider {
  const resolved = Promise.resolve(credentials);
  return () => resolved;
}
