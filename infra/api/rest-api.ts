/**
 * Api: the REST API in front of the private backend. Cognito authorizer on every route; methods
 * and HTTP_PROXY integrations over the VPC link generated from the route table (see api-spec.ts);
 * JSON gateway responses; a Deployment whose trigger hashes every setting; a separate Stage with
 * throttling, JSON access logs and tracing.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { gatewayResponses as contractGatewayResponses, type GatewayResponseSpec } from "../../contract/gateway-responses";
import { routes as contractRoutes, type Route } from "../../contract/routes";
import type { AccountRoleMode } from "../config";
import { deploymentHash, describeApi, type ApiDescription, type IntegrationSpec } from "./spec";

export interface ApiArgs {
  /** The route table; default the contract's. Tests pass an altered one. */
  routes?: readonly Route[];
  /** Gateway responses; default the contract's. */
  gatewayResponses?: readonly GatewayResponseSpec[];
  /** The user pool the authorizer trusts. */
  userPoolArn: pulumi.Input<string>;
  /** The private backend: VPC link V2 and the internal ALB it targets. */
  backend: {
    /** ALB DNS name, used in the integration URI (Host header and path, not routing). */
    host: pulumi.Input<string>;
    /** The ALB listener's port, named in the integration URI (`http://<host>:<port>/<path>`). */
    port: number;
    vpcLinkId: pulumi.Input<string>;
    /** ALB ARN (`integrationTarget`, required for VPC link V2). */
    loadBalancerArn: pulumi.Input<string>;
  };
  region: pulumi.Input<string>;
  stageName: string;
  /** Authorizer result cache in seconds; 0 disables it. */
  authorizerCacheTtlSeconds: number;
  /** Empty: no OPTIONS methods, no CORS headers. */
  corsAllowedOrigins: readonly string[];
  throttleRateLimit: number;
  throttleBurstLimit: number;
  tracing: boolean;
  logRetentionDays: number;
  /** `create` the region-wide CloudWatch role for API Gateway, or rely on the existing one. */
  apiGatewayAccountRole: AccountRoleMode;
  /** Turn the execute-api endpoint off (a custom domain is the only way in, so WAF cannot be bypassed). */
  disableExecuteApiEndpoint: boolean;
}

/** One JSON line per request; `$context.error.messageString` is already JSON-quoted. */
export const ACCESS_LOG_FORMAT = [
  `{"requestId":"$context.requestId"`,
  `"ip":"$context.identity.sourceIp"`,
  `"requestTime":"$context.requestTime"`,
  `"httpMethod":"$context.httpMethod"`,
  `"resourcePath":"$context.resourcePath"`,
  `"path":"$context.path"`,
  `"status":"$context.status"`,
  // Which gateway response answered (THROTTLED = the stage's throttle), and WAF's verdict.
  `"responseType":"$context.error.responseType"`,
  `"waf":"$context.wafResponseCode"`,
  `"responseLength":"$context.responseLength"`,
  `"responseLatency":"$context.responseLatency"`,
  `"integrationStatus":"$context.integration.status"`,
  `"integrationLatency":"$context.integration.latency"`,
  `"sub":"$context.authorizer.claims.sub"`,
  `"error":$context.error.messageString}`,
].join(",");

const slug = (s: string) => s.replace(/^\//, "").replace(/[ /]+/g, "-").replace(/[{}]/g, "_") || "root";

export class Api extends pulumi.ComponentResource {
  readonly description: ApiDescription;
  readonly restApi: aws.apigateway.RestApi;
  readonly authorizer: aws.apigateway.Authorizer;
  readonly resources: ReadonlyMap<string, aws.apigateway.Resource>;
  readonly methods: readonly aws.apigateway.Method[];
  readonly integrations: readonly aws.apigateway.Integration[];
  readonly gatewayResponses: readonly aws.apigateway.Response[];
  readonly account: aws.apigateway.Account | undefined;
  readonly deployment: aws.apigateway.Deployment;
  readonly triggerHash: pulumi.Output<string>;
  readonly accessLogGroup: aws.cloudwatch.LogGroup;
  readonly stage: aws.apigateway.Stage;
  readonly methodSettings: aws.apigateway.MethodSettings;
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: ApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("user-aware-api:aws:Api", name, {}, opts);
    const description = describeApi({
      routes: args.routes ?? contractRoutes,
      gatewayResponses: args.gatewayResponses ?? contractGatewayResponses,
      corsAllowedOrigins: args.corsAllowedOrigins,
      authorizerCacheTtlSeconds: args.authorizerCacheTtlSeconds,
      integrationPort: args.backend.port,
    });
    this.description = description;

    this.restApi = new aws.apigateway.RestApi(
      `${name}-rest`,
      {
        description: "user-aware-api: every route needs a Cognito id token",
        endpointConfiguration: { types: "REGIONAL" },
        disableExecuteApiEndpoint: args.disableExecuteApiEndpoint,
      },
      { parent: this },
    );
    const restApi = this.restApi.id;

    this.authorizer = new aws.apigateway.Authorizer(
      `${name}-cognito`,
      {
        restApi,
        ...description.authorizer,
        providerArns: [args.userPoolArn],
      },
      { parent: this },
    );

    // Resources, parents first.
    const resources = new Map<string, aws.apigateway.Resource>();
    const resourceId = (path: string): pulumi.Input<string> =>
      path === "/" ? this.restApi.rootResourceId : (resources.get(path) ?? fail(`no resource for ${path}`)).id;
    for (const path of description.resourcePaths) {
      const cut = path.lastIndexOf("/");
      const parentPath = cut === 0 ? "/" : path.slice(0, cut);
      resources.set(
        path,
        new aws.apigateway.Resource(
          `${name}-res-${slug(path)}`,
          {
            restApi,
            parentId: resourceId(parentPath),
            pathPart: path.slice(cut + 1),
          },
          { parent: this },
        ),
      );
    }
    this.resources = resources;

    const methods = new Map<string, aws.apigateway.Method>();
    for (const m of description.methods) {
      methods.set(
        m.key,
        new aws.apigateway.Method(
          `${name}-m-${slug(m.key)}`,
          {
            restApi,
            resourceId: resourceId(m.path),
            httpMethod: m.httpMethod,
            authorization: m.authorization,
            authorizerId: m.useAuthorizer ? this.authorizer.id : undefined,
            requestParameters: m.requestParameters,
          },
          { parent: this },
        ),
      );
    }
    this.methods = [...methods.values()];
    const methodFor = (key: string) => methods.get(key) ?? fail(`no method for ${key}`);

    this.integrations = description.integrations.map(
      (i) =>
        new aws.apigateway.Integration(
          `${name}-i-${slug(i.key)}`,
          {
            restApi,
            resourceId: resourceId(i.path),
            httpMethod: i.httpMethod,
            ...integrationInputs(i, args.backend),
          },
          { parent: this, dependsOn: [methodFor(i.key)] },
        ),
    );

    const preflightResources: pulumi.Resource[] = [];
    for (const c of description.corsPreflights) {
      const key = `OPTIONS ${c.path}`;
      const common = { restApi, resourceId: resourceId(c.path), httpMethod: "OPTIONS", statusCode: c.statusCode };
      const methodResponse = new aws.apigateway.MethodResponse(
        `${name}-mr-${slug(key)}`,
        {
          ...common,
          responseParameters: c.methodResponseParameters,
        },
        { parent: this, dependsOn: [methodFor(key)] },
      );
      const integration = this.integrations[description.integrations.findIndex((i) => i.key === key)];
      preflightResources.push(
        methodResponse,
        new aws.apigateway.IntegrationResponse(
          `${name}-ir-${slug(key)}`,
          {
            ...common,
            responseParameters: c.integrationResponseParameters,
            responseTemplates: Object.keys(c.integrationResponseTemplates).length > 0 ? c.integrationResponseTemplates : undefined,
          },
          { parent: this, dependsOn: [methodResponse, ...(integration ? [integration] : [])] },
        ),
      );
    }

    this.gatewayResponses = description.gatewayResponses.map(
      (g) => new aws.apigateway.Response(`${name}-gr-${g.responseType.toLowerCase()}`, { restApiId: restApi, ...g }, { parent: this }),
    );

    // Redeploy whenever any setting changes; the new deployment is created before the old is deleted.
    this.triggerHash = pulumi
      .all([args.backend.host, args.backend.vpcLinkId, args.backend.loadBalancerArn, args.userPoolArn])
      .apply(([host, vpcLinkId, integrationTarget, userPoolArn]) => deploymentHash(description, { host, vpcLinkId, integrationTarget, userPoolArn }));
    this.deployment = new aws.apigateway.Deployment(
      `${name}-deployment`,
      {
        restApi,
        description: "user-aware-api",
        // Turning the execute-api endpoint on or off takes effect only with a new deployment (AWS,
        // "Disable the default endpoint for REST APIs"), so it is a trigger too.
        triggers: { redeployment: this.triggerHash, executeApiEndpoint: args.disableExecuteApiEndpoint ? "disabled" : "enabled" },
      },
      {
        parent: this,
        // Every method and integration, or a deployment can snapshot a half-changed API (pulumi-aws#3289).
        dependsOn: [this.authorizer, ...this.methods, ...this.integrations, ...preflightResources, ...this.gatewayResponses],
      },
    );

    this.account = args.apiGatewayAccountRole === "create" ? createAccount(name, this) : undefined;
    const afterAccount = this.account ? [this.account] : [];

    this.accessLogGroup = new aws.cloudwatch.LogGroup(`${name}-access-logs`, { retentionInDays: args.logRetentionDays }, { parent: this });
    this.stage = new aws.apigateway.Stage(
      `${name}-stage`,
      {
        restApi,
        deployment: this.deployment.id,
        stageName: args.stageName,
        xrayTracingEnabled: args.tracing,
        accessLogSettings: { destinationArn: this.accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
      },
      { parent: this, dependsOn: afterAccount },
    );

    this.methodSettings = new aws.apigateway.MethodSettings(
      `${name}-method-settings`,
      {
        restApi,
        stageName: this.stage.stageName,
        methodPath: "*/*",
        settings: {
          throttlingRateLimit: args.throttleRateLimit,
          throttlingBurstLimit: args.throttleBurstLimit,
          metricsEnabled: true,
          loggingLevel: "ERROR",
          dataTraceEnabled: false,
        },
      },
      { parent: this, dependsOn: afterAccount },
    );

    // The execute-api URL; it answers only while the execute-api endpoint is enabled.
    this.url = pulumi.interpolate`https://${restApi}.execute-api.${args.region}.amazonaws.com/${this.stage.stageName}`;
    this.registerOutputs({ url: this.url, restApiId: restApi });
  }
}

function integrationInputs(i: IntegrationSpec, backend: ApiArgs["backend"]): Omit<aws.apigateway.IntegrationArgs, "restApi" | "resourceId" | "httpMethod"> {
  if (i.type === "MOCK") return { type: i.type, requestTemplates: i.requestTemplates, passthroughBehavior: i.passthroughBehavior };
  return {
    type: i.type,
    integrationHttpMethod: i.integrationHttpMethod,
    connectionType: i.connectionType,
    connectionId: backend.vpcLinkId,
    integrationTarget: backend.loadBalancerArn,
    uri: pulumi.interpolate`http://${backend.host}:${i.uriPort}${i.uriPath}`,
    requestParameters: i.requestParameters,
    responseTransferMode: i.responseTransferMode,
    timeoutMilliseconds: i.timeoutMilliseconds,
  };
}

/**
 * The region-wide CloudWatch role stage logging needs (one setting per account and region). All
 * three resources are kept on delete: destroying `aws.apigateway.Account` resets the region's
 * setting (terraform-provider-aws v6) and deleting the role it names breaks logging the same way,
 * so without this, destroying the stack that created them would break every other stack's stage
 * logging in the region. Kept, they outlive the stack; see docs/deploy.md for who owns the setting.
 */
function createAccount(name: string, parent: pulumi.Resource): aws.apigateway.Account {
  const kept = { parent, retainOnDelete: true };
  const role = new aws.iam.Role(
    `${name}-cloudwatch-role`,
    {
      description: "API Gateway: push access and execution logs to CloudWatch Logs (region-wide account setting; kept when the stack is destroyed)",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    },
    kept,
  );
  const attachment = new aws.iam.RolePolicyAttachment(
    `${name}-cloudwatch-policy`,
    {
      role: role.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    },
    kept,
  );
  return new aws.apigateway.Account(`${name}-account`, { cloudwatchRoleArn: role.arn }, { ...kept, dependsOn: [attachment] });
}

function fail(message: string): never {
  throw new Error(message);
}
