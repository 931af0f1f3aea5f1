/** Defaults of the local stack and how to change each one. */
import type { PortSetting } from "./ports";

export interface StackPorts {
  readonly gateway: number;
  readonly cognito: number;
  readonly service: number;
  readonly dynamodb: number;
}

export const DEFAULT_PORTS: StackPorts = { gateway: 3000, cognito: 9229, service: 8080, dynamodb: 8000 };

export const PORT_SETTINGS: Record<keyof StackPorts, PortSetting> = {
  gateway: { name: "local gateway", env: "GATEWAY_PORT", flag: "--gateway-port" },
  cognito: { name: "cognito-local", env: "COGNITO_PORT", flag: "--cognito-port" },
  service: { name: "service", env: "SERVICE_PORT", flag: "--service-port" },
  dynamodb: { name: "DynamoDB Local", env: "DYNAMODB_PORT", flag: "--dynamodb-port" },
};

export const DEFAULT_TABLE_NAME = "user-aware-api-local-notes";
export const DEFAULT_POOL_NAME = "user-aware-api-local";
/** Any real region name: the SDKs need one; cognito-local ignores it; DynamoDB Local keeps it with the tables (-sharedDb: one database for any region and key). */
export const LOCAL_STACK_REGION = "us-east-1";
export const OUTPUTS_FILE_NAME = "outputs.local.json";
/** The app's Amplify client config for the local stack (`npm run app-config` writes the same). */
export const AMPLIFY_OUTPUTS_FILE_NAME = "amplify_outputs.json";
export const SERVICE_ENTRY = "service/src/server.ts";
/**
 * The local stack's stage name: the service always gets it (STAGE_NAME, as every deployed task
 * does), and the gateway puts it in front of the path when the stack runs in the stage-prefixed form.
 */
export const LOCAL_STAGE_NAME = "local";
