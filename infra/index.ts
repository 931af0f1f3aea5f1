/**
 * The user-aware-api stack: Cognito user pool → API Gateway (Cognito authorizer, header mapping)
 * → VPC link → internal ALB → Fargate service → DynamoDB. See ../docs/deploy.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { amplifyOutputsFor } from "../contract/amplify-outputs";
import { Api } from "./api";
import { Backend } from "./backend";
import { loadConfig } from "./config";
import { Data } from "./data";
import { Identity } from "./identity";
import { LISTENER_PORT } from "./network";

const config = loadConfig();
const region = aws.getRegionOutput().region;

const identity = new Identity("identity", {
  region,
  protect: config.protect,
  allowPasswordAuth: config.allowPasswordAuth,
  mfa: config.mfa,
  idTokenValidityMinutes: config.idTokenValidityMinutes,
  sesEmail: config.sesEmail,
});

const data = new Data("data", { protect: config.protect });

const backend = new Backend("backend", {
  natGateways: config.natGateways,
  spot: config.spot,
  taskCpu: config.taskCpu,
  taskMemory: config.taskMemory,
  cpuArchitecture: config.cpuArchitecture,
  minTasks: config.minTasks,
  maxTasks: config.maxTasks,
  tableName: data.table.name,
  tableArn: data.table.arn,
  issuer: identity.issuer,
  clientId: identity.client.id,
  userPoolId: identity.userPool.id,
  userPoolArn: identity.userPool.arn,
  authMode: config.authMode,
  logLevel: config.logLevel,
  corsAllowedOrigins: config.corsAllowedOrigins,
  stageName: config.stageName,
  region,
  logRetentionDays: config.logRetentionDays,
  protect: config.protect,
});

const api = new Api("api", {
  userPoolArn: identity.userPool.arn,
  backend: {
    host: backend.network.loadBalancer.dnsName,
    port: LISTENER_PORT,
    vpcLinkId: backend.network.vpcLink.id,
    loadBalancerArn: backend.network.loadBalancer.arn,
  },
  region,
  stageName: config.stageName,
  authorizerCacheTtlSeconds: config.authorizerCacheTtlSeconds,
  corsAllowedOrigins: config.corsAllowedOrigins,
  throttleRateLimit: config.throttleRateLimit,
  throttleBurstLimit: config.throttleBurstLimit,
  tracing: config.tracing,
  logRetentionDays: config.logRetentionDays,
  apiGatewayAccountRole: config.apiGatewayAccountRole,
});

export const apiUrl = api.url;
export { region };
export const userPoolId = identity.userPool.id;
export const userPoolClientId = identity.client.id;
export const issuer = identity.issuer;
export const tableName = data.table.name;
/** amplify_outputs.json for the mobile app: `pulumi stack output amplifyOutputs`, or `npm run app-config`. */
export const amplifyOutputs = pulumi
  .all([region, identity.userPool.id, identity.client.id, api.url])
  .apply(([r, poolId, clientId, url]) => amplifyOutputsFor({ region: r, userPoolId: poolId, userPoolClientId: clientId, apiUrl: url, mfa: config.mfa }));
