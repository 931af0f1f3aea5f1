/**
 * The user-aware-api stack: Cognito user pool → API Gateway (Cognito authorizer, header mapping)
 * → VPC link → internal ALB → Fargate service → DynamoDB; optionally a custom domain and WAF in
 * front of the stage; alarms and a dashboard on all of it. See ../docs/deploy.md and
 * ../docs/operations.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { amplifyOutputsFor } from "../contract/amplify-outputs";
import { Api } from "./api/rest-api";
import { Backend } from "./backend/service";
import { loadConfig } from "./config";
import { Data } from "./data";
import { Domain } from "./edge/domain";
import { Identity } from "./identity";
import { Monitoring } from "./monitoring/monitoring";
import { TABLE_OPERATIONS } from "./backend/task-permissions";
import { LISTENER_PORT } from "./backend/network";
import { Waf } from "./edge/waf";

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
  requestCountTargetPerMinute: config.requestCountTargetPerMinute,
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
  containerInsights: config.containerInsights,
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
  // With a custom domain it is the only way in: nothing bypasses the name (or the WAF on the stage).
  disableExecuteApiEndpoint: config.customDomain !== undefined,
});

const domain =
  config.customDomain &&
  new Domain("domain", {
    domainName: config.customDomain.name,
    certificateArn: config.customDomain.certificateArn,
    hostedZoneId: config.customDomain.hostedZoneId,
    restApiId: api.restApi.id,
    stageName: api.stage.stageName,
  });

/** Alarm names, dashboard name and the 401 metric's namespace. */
const namePrefix = `user-aware-api-${pulumi.getStack()}`;

const waf = config.waf
  ? new Waf("waf", {
      webAclName: `${namePrefix}-waf`.replace(/[^A-Za-z0-9_-]/g, "-"),
      stageArn: api.stage.arn,
      ipRateLimit: config.wafIpRateLimit,
      tokenRateLimit: config.wafTokenRateLimit,
      evaluationWindowSeconds: config.wafEvaluationWindowSeconds,
    })
  : undefined;

const monitoring = new Monitoring("monitoring", {
  namePrefix,
  region,
  resources: {
    apiName: api.restApi.name,
    stageName: api.stage.stageName,
    loadBalancer: backend.network.loadBalancer.arnSuffix,
    targetGroup: backend.network.targetGroup.arnSuffix,
    clusterName: backend.cluster.name,
    serviceName: backend.service.service.name,
    tableName: data.table.name,
  },
  accessLogGroupName: api.accessLogGroup.name,
  minTasks: config.minTasks,
  tableOperations: TABLE_OPERATIONS,
  thresholds: config.alarmThresholds,
  alarmEmail: config.alarmEmail,
  containerInsights: config.containerInsights,
  waf: waf && { webAclName: waf.webAcl.name, ruleMetricNames: waf.ruleMetricNames },
});

/** `https://<domain>` with a custom domain (the execute-api endpoint is then off), else the execute-api URL. */
export const apiUrl = domain ? pulumi.output(domain.url) : api.url;
export { region };
export const userPoolId = identity.userPool.id;
export const userPoolClientId = identity.client.id;
export const issuer = identity.issuer;
export const tableName = data.table.name;
export const alarmTopicArn = monitoring.topic.arn;
export const dashboardUrl = monitoring.dashboardUrl;
/** Only with a custom domain and no hosted zone: what your DNS records must point at. */
export const domainTarget = domain && config.customDomain?.hostedZoneId === undefined ? domain.target : undefined;
/** amplify_outputs.json for the mobile app: `pulumi stack output amplifyOutputs`, or `npm run app-config`. */
export const amplifyOutputs = pulumi
  .all([region, identity.userPool.id, identity.client.id, apiUrl])
  .apply(([r, poolId, clientId, url]) => amplifyOutputsFor({ region: r, userPoolId: poolId, userPoolClientId: clientId, apiUrl: url, mfa: config.mfa }));
