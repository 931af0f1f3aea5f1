/**
 * The Deployment trigger changes when any route or setting changes.
 * First the pure hash over the API description, then the real Api component under mocks.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { describeApi, deploymentHash, stableStringify, type ApiSettings, type BackendTarget } from "../../infra/api/spec";
import { Api } from "../../infra/api/rest-api";
import { gatewayResponses } from "../../contract/gateway-responses";
import { routes, type Route } from "../../contract/routes";
import { ofType, promiseOf, runProgram, setupMocks } from "./mocks";

const settings: ApiSettings = { routes, gatewayResponses, corsAllowedOrigins: [], authorizerCacheTtlSeconds: 300, integrationPort: 80 };
const target: BackendTarget = { host: "internal-alb.example", vpcLinkId: "vl-1", integrationTarget: "arn:alb", userPoolArn: "arn:pool" };
const hashOf = (s: Partial<ApiSettings> = {}, t: Partial<BackendTarget> = {}) => deploymentHash(describeApi({ ...settings, ...s }), { ...target, ...t });
const withoutDelete = routes.filter((r) => r.id !== "deleteNote");
const renamed = routes.map((r): Route => (r.id === "getMe" ? { ...r, path: "/whoami" } : r));

describe("deploymentHash (pure)", () => {
  const base = hashOf();

  it("is stable for the same settings and independent of key order", () => {
    expect(hashOf()).toBe(base);
    expect(stableStringify({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(stableStringify({ a: [{ c: 3, d: 2 }], b: 1 }));
  });

  it.each<[string, Partial<ApiSettings>, Partial<BackendTarget>]>([
    ["one route removed", { routes: withoutDelete }, {}],
    ["one route's path altered", { routes: renamed }, {}],
    ["one route's method altered", { routes: routes.map((r) => (r.id === "updateNote" ? { ...r, method: "POST" as const } : r)) }, {}],
    ["authorizer TTL", { authorizerCacheTtlSeconds: 0 }, {}],
    ["CORS origins (OPTIONS methods and gateway-response headers)", { corsAllowedOrigins: ["https://app.example.com"] }, {}],
    ["one gateway response status", { gatewayResponses: gatewayResponses.map((g) => (g.type === "ACCESS_DENIED" ? { ...g, statusCode: 404 } : g)) }, {}],
    ["integration host (uri)", {}, { host: "internal-alb-2.example" }],
    ["listener port (uri)", { integrationPort: 8081 }, {}],
    ["VPC link", {}, { vpcLinkId: "vl-2" }],
    ["integration target", {}, { integrationTarget: "arn:alb2" }],
    ["user pool", {}, { userPoolArn: "arn:pool2" }],
  ])("changes when %s changes", (_label, s, t) => {
    expect(hashOf(s, t)).not.toBe(base);
  });

  it("covers every method and integration field (HTTP_PROXY and the CORS MOCKs): altering any one of them changes the hash", () => {
    const description = describeApi({ ...settings, corsAllowedOrigins: ["https://app.example.com"] });
    // Both kinds are there, so the MOCK's passthroughBehavior and the proxy's uriPort are covered.
    expect(new Set(description.integrations.map((i) => i.type))).toEqual(new Set(["HTTP_PROXY", "MOCK"]));
    const h = deploymentHash(description, target);
    description.integrations.forEach((integration, index) => {
      for (const field of Object.keys(integration)) {
        const integrations = description.integrations.map((x, j) => (j === index ? { ...x, [field]: `${field}-changed` } : x));
        expect(deploymentHash({ ...description, integrations } as typeof description, target), `${integration.key}.${field}`).not.toBe(h);
      }
    });
    description.methods.forEach((method, index) => {
      for (const field of Object.keys(method)) {
        const methods = description.methods.map((x, j) => (j === index ? { ...x, [field]: `${field}-changed` } : x));
        expect(deploymentHash({ ...description, methods }, target), `${method.key}.${field}`).not.toBe(h);
      }
    });
  });
});

describe("Api component under mocks: the Deployment's triggers input is that hash", () => {
  let full: Api;
  let reduced: Api;
  beforeAll(async () => {
    await setupMocks("dev", {});
    const args = (name: string, table: readonly Route[]) => ({
      routes: table,
      userPoolArn: "arn:pool",
      backend: { host: `internal-${name}.example`, port: 80, vpcLinkId: "vl-1", loadBalancerArn: "arn:alb" },
      region: "us-east-1",
      stageName: "dev",
      authorizerCacheTtlSeconds: 300,
      corsAllowedOrigins: [],
      throttleRateLimit: 10,
      throttleBurstLimit: 20,
      tracing: false,
      logRetentionDays: 7,
      apiGatewayAccountRole: "existing" as const,
      disableExecuteApiEndpoint: false,
    });
    await runProgram(async () => {
      full = new Api("full", args("same", routes));
      reduced = new Api("reduced", args("same", withoutDelete));
      return {};
    });
  });

  const triggersOf = (name: string) => ofType("aws:apigateway/deployment:Deployment").find((d) => d.name === `${name}-deployment`)!.inputs["triggers"];

  it("each Deployment's trigger is deploymentHash of its own description and backend", () => {
    for (const [name, api] of [
      ["full", full],
      ["reduced", reduced],
    ] as const) {
      expect(triggersOf(name)).toEqual({
        redeployment: deploymentHash(api.description, {
          host: "internal-same.example",
          vpcLinkId: "vl-1",
          integrationTarget: "arn:alb",
          userPoolArn: "arn:pool",
        }),
        executeApiEndpoint: "enabled",
      });
    }
  });

  it("removing one route from the table changes the Deployment trigger and drops its method", async () => {
    expect(triggersOf("reduced")).not.toEqual(triggersOf("full"));
    expect(await promiseOf(pulumi.all(full.methods.map((m) => m.httpMethod)))).toHaveLength(routes.length);
    expect(await promiseOf(pulumi.all(reduced.methods.map((m) => m.httpMethod)))).toHaveLength(routes.length - 1);
  });
});
