/** An SDK client for cognito-local: its endpoint, any region, dummy credentials. */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

export const LOCAL_REGION = "local";

export function localCognitoClient(endpoint: string, region: string = LOCAL_REGION): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region,
    endpoint,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}
