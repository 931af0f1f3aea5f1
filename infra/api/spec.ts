/**
 * The REST API as plain data: every resource path, method, integration, CORS response, the
 * authorizer and the gateway responses, derived from the contract's route table. `Api` creates
 * its resources from exactly these objects, and the Deployment's trigger is a hash over them
 * (plus the backend's resolved identifiers), so any setting that changes forces a new deployment.
 * Pure: no Pulumi here, so tests can call it directly.
 */
import { createHash } from "node:crypto";
import { CORS_ALLOW_HEADERS } from "../../contract/cors";
import { gatewayResponseTemplate, type GatewayResponseSpec } from "../../contract/gateway-responses";
import { resourcePaths, routePaths, type Route } from "../../contract/routes";

export interface ApiSettings {
  readonly routes: readonly Route[];
  readonly gatewayResponses: readonly GatewayResponseSpec[];
  /** Empty: no OPTIONS methods and no CORS headers. */
  readonly corsAllowedOrigins: readonly string[];
  readonly authorizerCacheTtlSeconds: number;
  /** The load balancer listener's port, named in every integration URI (`http://<host>:<port>/…`). */
  readonly integrationPort: number;
}

/** The backend's resolved identifiers (outputs of other resources), hashed with the description. */
export interface BackendTarget {
  /** Host the integration URI names (the internal ALB's DNS name); sets Host, not the routing. */
  readonly host: string;
  readonly vpcLinkId: string;
  /** The ALB ARN: what a VPC link V2 integration actually routes to. */
  readonly integrationTarget: string;
  readonly userPoolArn: string;
}

export interface AuthorizerSpec {
  readonly type: "COGNITO_USER_POOLS";
  readonly identitySource: "method.request.header.Authorization";
  readonly authorizerResultTtlInSeconds: number;
}

export interface MethodSpec {
  /** `GET /notes/{noteId}`; unique. */
  readonly key: string;
  readonly path: string;
  readonly httpMethod: string;
  readonly authorization: "COGNITO_USER_POOLS" | "NONE";
  /** Whether the method uses the pool authorizer (every route; never OPTIONS). */
  readonly useAuthorizer: boolean;
  readonly requestParameters: Readonly<Record<string, boolean>>;
}

export type IntegrationSpec =
  | {
      readonly key: string;
      readonly path: string;
      readonly httpMethod: string;
      readonly type: "HTTP_PROXY";
      readonly integrationHttpMethod: string;
      readonly connectionType: "VPC_LINK";
      /** The listener port: the URI is `http://<host>:<uriPort><uriPath>`, as CDK's ALB integration writes it. */
      readonly uriPort: number;
      /** Appended to `http://<host>:<port>`; `{param}` segments are filled from the path mappings. */
      readonly uriPath: string;
      readonly requestParameters: Readonly<Record<string, string>>;
      /** STREAM for routes marked `streamed` (GET /me/export): passed through as it comes, no 10 MB cap. */
      readonly responseTransferMode: "BUFFERED" | "STREAM";
      readonly timeoutMilliseconds: number;
    }
  | {
      readonly key: string;
      readonly path: string;
      readonly httpMethod: "OPTIONS";
      readonly type: "MOCK";
      readonly requestTemplates: Readonly<Record<string, string>>;
      readonly passthroughBehavior: typeof MOCK_PASSTHROUGH_BEHAVIOR;
    };

/** Method response + integration response of an OPTIONS mock (CORS preflight). */
export interface CorsPreflightSpec {
  readonly path: string;
  readonly statusCode: "204";
  readonly methodResponseParameters: Readonly<Record<string, boolean>>;
  readonly integrationResponseParameters: Readonly<Record<string, string>>;
  readonly integrationResponseTemplates: Readonly<Record<string, string>>;
}

export interface GatewayResponseResourceSpec {
  readonly responseType: string;
  readonly statusCode: string | undefined;
  readonly responseTemplates: Readonly<Record<string, string>>;
  readonly responseParameters: Readonly<Record<string, string>> | undefined;
}

export interface ApiDescription {
  readonly resourcePaths: readonly string[];
  readonly authorizer: AuthorizerSpec;
  readonly methods: readonly MethodSpec[];
  readonly integrations: readonly IntegrationSpec[];
  readonly corsPreflights: readonly CorsPreflightSpec[];
  readonly gatewayResponses: readonly GatewayResponseResourceSpec[];
}

export const INTEGRATION_TIMEOUT_MS = 29_000;
/**
 * The preflight MOCK's passthrough behaviour, set explicitly (the API's default is WHEN_NO_MATCH).
 * A MOCK takes its status code from the mapped request (`{"statusCode": 204}`), so that template
 * must be what runs. WHEN_NO_MATCH would pass a request whose Content-Type matches no template
 * through unmapped — the caller's own body would pick the MOCK's status. WHEN_NO_TEMPLATES (a
 * template is defined, so: no pass-through) refuses such a request with 415 instead. A browser
 * preflight carries no Content-Type, for which API Gateway uses the application/json template.
 */
export const MOCK_PASSTHROUGH_BEHAVIOR = "WHEN_NO_TEMPLATES";
/**
 * A streamed response (STREAM mode) may run up to 15 minutes; ours is an export that API Gateway
 * sends unthrottled for 10 MB, then at 2 MB/s (AWS docs, "Stream the integration response"):
 * 5 minutes carries several hundred MB, far beyond the largest account (5 000 notes ≈ 50 MB).
 */
export const STREAMED_INTEGRATION_TIMEOUT_MS = 300_000;
export const CORS_MAX_AGE_SECONDS = 600;

export function describeApi(settings: ApiSettings): ApiDescription {
  const { routes, corsAllowedOrigins } = settings;
  const cors = corsAllowedOrigins.length > 0;
  const methods: MethodSpec[] = [];
  const integrations: IntegrationSpec[] = [];

  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    const pathRequest: Record<string, boolean> = {};
    const pathMapping: Record<string, string> = {};
    for (const p of route.pathParams) {
      pathRequest[`method.request.path.${p}`] = true;
      pathMapping[`integration.request.path.${p}`] = `method.request.path.${p}`;
    }
    methods.push({
      key,
      path: route.path,
      httpMethod: route.method,
      authorization: "COGNITO_USER_POOLS",
      useAuthorizer: true,
      requestParameters: { "method.request.header.Authorization": true, ...pathRequest },
    });
    integrations.push({
      key,
      path: route.path,
      httpMethod: route.method,
      type: "HTTP_PROXY",
      integrationHttpMethod: route.method,
      connectionType: "VPC_LINK",
      uriPort: settings.integrationPort,
      uriPath: route.path,
      requestParameters: {
        // Map Authorization explicitly, or API Gateway may remap it to x-amzn-Remapped-Authorization.
        "integration.request.header.Authorization": "method.request.header.Authorization",
        // Correlation id only: a client can influence it.
        "integration.request.header.x-request-id": "context.requestId",
        ...pathMapping,
      },
      responseTransferMode: route.streamed ? "STREAM" : "BUFFERED",
      timeoutMilliseconds: route.streamed ? STREAMED_INTEGRATION_TIMEOUT_MS : INTEGRATION_TIMEOUT_MS,
    });
  }

  const corsPreflights: CorsPreflightSpec[] = [];
  if (cors) {
    for (const path of routePaths(routes)) {
      const key = `OPTIONS ${path}`;
      methods.push({ key, path, httpMethod: "OPTIONS", authorization: "NONE", useAuthorizer: false, requestParameters: {} });
      integrations.push({
        key,
        path,
        httpMethod: "OPTIONS",
        type: "MOCK",
        requestTemplates: { "application/json": '{"statusCode": 204}' },
        passthroughBehavior: MOCK_PASSTHROUGH_BEHAVIOR,
      });
      const allowMethods = [...routes.filter((r) => r.path === path).map((r) => r.method), "OPTIONS"].join(",");
      const headers = corsHeaderValues(corsAllowedOrigins, allowMethods);
      corsPreflights.push({
        path,
        statusCode: "204",
        methodResponseParameters: Object.fromEntries(Object.keys(headers).map((h) => [`method.response.header.${h}`, true])),
        integrationResponseParameters: Object.fromEntries(Object.entries(headers).map(([h, v]) => [`method.response.header.${h}`, v])),
        integrationResponseTemplates: corsAllowedOrigins.length > 1 ? { "application/json": originOverrideTemplate(corsAllowedOrigins) } : {},
      });
    }
  }

  const gatewayResponses = settings.gatewayResponses.map(
    (spec): GatewayResponseResourceSpec => ({
      responseType: spec.type,
      statusCode: spec.statusCode === undefined ? undefined : String(spec.statusCode),
      responseTemplates: { "application/json": gatewayResponseTemplate(spec) },
      responseParameters: cors
        ? Object.fromEntries(Object.entries(corsHeaderValues(corsAllowedOrigins, undefined)).map(([h, v]) => [`gatewayresponse.header.${h}`, v]))
        : undefined,
    }),
  );

  return {
    resourcePaths: resourcePaths(routes),
    authorizer: {
      type: "COGNITO_USER_POOLS",
      identitySource: "method.request.header.Authorization",
      authorizerResultTtlInSeconds: settings.authorizerCacheTtlSeconds,
    },
    methods,
    integrations,
    corsPreflights,
    gatewayResponses,
  };
}

/**
 * Static CORS header values (API Gateway quotes literals). One origin is sent as is; with several,
 * the preflight picks the caller's origin in a template (`originOverrideTemplate`) and gateway
 * responses send `Vary: Origin` without an allow-origin (a browser then sees a CORS error, not the body).
 */
function corsHeaderValues(origins: readonly string[], allowMethods: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (origins.length === 1) headers["Access-Control-Allow-Origin"] = `'${origins[0]}'`;
  headers["Access-Control-Allow-Headers"] = `'${CORS_ALLOW_HEADERS.join(",")}'`;
  if (allowMethods !== undefined) {
    headers["Access-Control-Allow-Methods"] = `'${allowMethods}'`;
    headers["Access-Control-Max-Age"] = `'${CORS_MAX_AGE_SECONDS}'`;
  }
  headers["Vary"] = "'Origin'";
  return headers;
}

/** With several origins, echo the request's Origin only when it is one of them. */
function originOverrideTemplate(origins: readonly string[]): string {
  const test = origins.map((o) => `$origin == "${o}"`).join(" || ");
  return [
    `#set($origin = $input.params().header.get("Origin"))`,
    `#if(!$origin)#set($origin = $input.params().header.get("origin"))#end`,
    `#if(${test})#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end`,
  ].join("\n");
}

/** Stable JSON: object keys sorted, so the hash does not depend on insertion order. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The Deployment trigger: sha256 over every setting of the description and the backend target. */
export function deploymentHash(description: ApiDescription, target: BackendTarget): string {
  return createHash("sha256").update(stableStringify({ description, target })).digest("hex");
}
