/**
 * The infrastructure invariants (docs/architecture.md#infrastructure-invariants), asserted on the resources the real program registers under
 * mocks. Policies, not snapshots: each check iterates over every resource of a type and fails
 * naming the offending one. `describeInvariants(stack, config)` defines the tests for one config.
 * The security invariants themselves are the policy pack's (policy/, run here by
 * itPassesThePolicyPack); what stays here is what a policy cannot know: that values come from this
 * program's route table, config and other resources (the authorizer's id, the ALB's ARN, the hash).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { describeApi, deploymentHash } from "../../infra/api/spec";
import { ACCESS_LOG_FORMAT } from "../../infra/api/rest-api";
import { LISTENER_PORT } from "../../infra/backend/network";
import { parseConfig, type StackConfig } from "../../infra/config";
import { gatewayResponses, gatewayResponseTemplate } from "../../contract/gateway-responses";
import { routes } from "../../contract/routes";
import { STREAMED_INTEGRATION_TIMEOUT_MS, INTEGRATION_TIMEOUT_MS } from "../../infra/api/spec";
import { TTL_ATTRIBUTE } from "../../contract/notes-table";
import { createNotesTableInput } from "../../service/src/notes/table";
import { ofType, REGION, runProgram, setupMocks, type Recorded } from "./mocks";
import { describeAppConfigInvariants } from "./invariants-app-config";
import { describeBackendInvariants } from "./invariants-backend";
import { describeEdgeInvariants, executeApiUrl } from "./invariants-edge";
import { describeMonitoringInvariants } from "./invariants-monitoring";
import { itPassesThePolicyPack } from "./policy-pack";
import { idOf, one, outputOf, T } from "./recorded";

/** API Gateway resource id → path, walked from the recorded Resource inputs. */
function pathsById(): Map<string, string> {
  const rest = one(T.restApi);
  const byId = new Map<string, string>([[outputOf(rest, "rootResourceId"), "/"]]);
  const pending = ofType(T.resource);
  for (let round = 0; round < 10 && pending.length > 0; round++) {
    for (let i = pending.length - 1; i >= 0; i--) {
      const r = pending[i] as Recorded;
      const parent = byId.get(r.inputs["parentId"]);
      if (parent === undefined) continue;
      byId.set(idOf(r), `${parent === "/" ? "" : parent}/${r.inputs["pathPart"]}`);
      pending.splice(i, 1);
    }
  }
  expect(
    pending.map((r) => r.urn),
    "resources not reachable from the root",
  ).toEqual([]);
  return byId;
}

export function describeInvariants(stack: string, rawConfig: Record<string, string>): void {
  const bare = Object.fromEntries(
    Object.entries(rawConfig)
      .filter(([k]) => k.startsWith("user-aware-api:"))
      .map(([k, v]) => [k.slice(15), v]),
  );
  const config: StackConfig = parseConfig(bare, stack, rawConfig["aws:region"]);
  let outputs: Record<string, unknown>;
  let paths: Map<string, string>;
  const pathOf = (r: Recorded) => paths.get(r.inputs["resourceId"]) ?? `<unknown resource ${r.inputs["resourceId"]}>`;
  const routeMethods = () => ofType(T.method).filter((m) => m.inputs["httpMethod"] !== "OPTIONS");
  const routeIntegrations = () => ofType(T.integration).filter((m) => m.inputs["httpMethod"] !== "OPTIONS");

  beforeAll(async () => {
    await setupMocks(stack, rawConfig);
    outputs = await runProgram(() => import("../../infra/index"));
    paths = pathsById();
  });

  describe(`${stack}: API methods and integrations (invariants 1, 2)`, () => {
    it("the set of (method, path) of methods and of integrations equals the route table", () => {
      const expected = routes.map((r) => `${r.method} ${r.path}`).sort();
      expect(
        routeMethods()
          .map((m) => `${m.inputs["httpMethod"]} ${pathOf(m)}`)
          .sort(),
      ).toEqual(expected);
      expect(
        routeIntegrations()
          .map((i) => `${i.inputs["httpMethod"]} ${pathOf(i)}`)
          .sort(),
      ).toEqual(expected);
    });

    it("every route method uses this stack's authorizer and declares exactly Authorization and its path params", () => {
      const authorizerId = idOf(one(T.authorizer));
      for (const m of routeMethods()) {
        const route = routes.find((r) => r.method === m.inputs["httpMethod"] && r.path === pathOf(m));
        expect(route, m.urn).toBeDefined();
        expect(m.inputs["authorizerId"], m.urn).toBe(authorizerId);
        const expectedParams = {
          "method.request.header.Authorization": true,
          ...Object.fromEntries(route!.pathParams.map((p) => [`method.request.path.${p}`, true])),
        };
        expect(m.inputs["requestParameters"], m.urn).toEqual(expectedParams);
      }
    });

    it("every route integration goes over this stack's VPC link to its ALB, mapping exactly Authorization, x-request-id and path params", () => {
      const link = one(T.vpcLink);
      const lb = one(T.lb);
      for (const i of routeIntegrations()) {
        const route = routes.find((r) => r.method === i.inputs["httpMethod"] && r.path === pathOf(i))!;
        expect(i.inputs["integrationHttpMethod"], i.urn).toBe(route.method);
        expect(i.inputs["connectionId"], i.urn).toBe(idOf(link));
        expect(i.inputs["integrationTarget"], i.urn).toBe(outputOf(lb, "arn"));
        // The listener port is named, as CDK's ALB integration writes the URI.
        expect(i.inputs["uri"], i.urn).toBe(`http://${outputOf(lb, "dnsName")}:${LISTENER_PORT}${route.path}`);
        expect(i.inputs["requestParameters"], i.urn).toEqual({
          "integration.request.header.Authorization": "method.request.header.Authorization",
          "integration.request.header.x-request-id": "context.requestId",
          ...Object.fromEntries(route.pathParams.map((p) => [`integration.request.path.${p}`, `method.request.path.${p}`])),
        });
      }
    });

    it("streamed routes (GET /me/export) are STREAM integrations, so a large export is neither buffered nor capped at 10 MB; the rest BUFFERED within 29 s", () => {
      const streamed = routes.filter((r) => r.streamed).map((r) => `${r.method} ${r.path}`);
      expect(streamed).toEqual(["GET /me/export"]);
      for (const i of routeIntegrations()) {
        const isStreamed = streamed.includes(`${i.inputs["httpMethod"]} ${pathOf(i)}`);
        expect(i.inputs["responseTransferMode"], i.urn).toBe(isStreamed ? "STREAM" : "BUFFERED");
        expect(i.inputs["timeoutMilliseconds"], i.urn).toBe(isStreamed ? STREAMED_INTEGRATION_TIMEOUT_MS : INTEGRATION_TIMEOUT_MS);
      }
    });

    it(`OPTIONS methods: ${config.corsAllowedOrigins.length > 0 ? "one MOCK per route path, no authorizer" : "none (CORS off)"}`, () => {
      const options = ofType(T.method).filter((m) => m.inputs["httpMethod"] === "OPTIONS");
      const optionIntegrations = ofType(T.integration).filter((m) => m.inputs["httpMethod"] === "OPTIONS");
      if (config.corsAllowedOrigins.length === 0) {
        expect(options.map((m) => m.urn)).toEqual([]);
        expect(optionIntegrations.map((m) => m.urn)).toEqual([]);
        return;
      }
      const routePathSet = [...new Set(routes.map((r) => r.path))].sort();
      expect(options.map(pathOf).sort()).toEqual(routePathSet);
      for (const m of options) {
        expect(m.inputs["authorization"], m.urn).toBe("NONE");
        expect(m.inputs["authorizerId"], m.urn).toBeUndefined();
      }
      for (const i of optionIntegrations) {
        expect(i.inputs["type"], i.urn).toBe("MOCK");
        // Explicit, not the API's default (WHEN_NO_MATCH): only the template decides the MOCK's status.
        expect(i.inputs["passthroughBehavior"], i.urn).toBe("WHEN_NO_TEMPLATES");
        expect(i.inputs["requestTemplates"], i.urn).toEqual({ "application/json": '{"statusCode": 204}' });
      }
    });
  });

  it(`${stack}: user pool email: ${config.sesEmail ? "DEVELOPER sending through the SES identity" : "COGNITO_DEFAULT, stated"}`, () => {
    const email = one(T.pool).inputs["emailConfiguration"];
    if (!config.sesEmail) return expect(email).toEqual({ emailSendingAccount: "COGNITO_DEFAULT" });
    expect(email).toEqual({
      emailSendingAccount: "DEVELOPER",
      sourceArn: config.sesEmail.identityArn,
      fromEmailAddress: config.sesEmail.from,
      ...(config.sesEmail.replyTo === undefined ? {} : { replyToEmailAddress: config.sesEmail.replyTo }),
    });
    // The raw stack keys, not just the parsed config, reach the pool.
    expect(email.sourceArn).toBe(rawConfig["user-aware-api:emailSesIdentityArn"]);
  });

  it(`${stack}: the authorizer trusts this stack's pool, TTL from config (invariant 3)`, () => {
    const a = one(T.authorizer);
    expect(a.inputs["providerArns"]).toEqual([outputOf(one(T.pool), "arn")]);
    expect(a.inputs["authorizerResultTtlInSeconds"]).toBe(config.authorizerCacheTtlSeconds);
  });

  it(`${stack}: user pool and app client: the app client allows SRP and refresh, password auth only where configured (invariant 4)`, () => {
    const pool = one(T.pool);
    const policy = pool.inputs["passwordPolicy"];
    expect(policy.minimumLength).toBeGreaterThanOrEqual(8);
    for (const c of ["requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols"]) expect(policy[c], c).toBe(true);
    expect(pool.inputs["usernameAttributes"]).toEqual(["email"]);
    expect(pool.inputs["autoVerifiedAttributes"]).toEqual(["email"]);
    expect(pool.inputs["deletionProtection"]).toBe(config.protect ? "ACTIVE" : "INACTIVE");
    // Retain-on-delete is invisible to policies (not in the analyzer's resource options): checked here.
    expect(pool.retainOnDelete, `${pool.urn} retainOnDelete`).toBe(config.protect);
    expect(pool.inputs["mfaConfiguration"]).toBe(config.mfa);
    const client = one(T.client);
    expect(client.inputs["idTokenValidity"]).toBe(config.idTokenValidityMinutes);
    expect(client.inputs["tokenValidityUnits"].idToken).toBe("minutes");
    const flows: string[] = client.inputs["explicitAuthFlows"];
    // Exactly SRP and refresh (the apps' flows), plus the password flow only where the stack allows it:
    // prod's client (allowPasswordAuth false) allows SRP and refresh only.
    const expectedFlows = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", ...(config.allowPasswordAuth ? ["ALLOW_USER_PASSWORD_AUTH"] : [])];
    expect([...flows].sort()).toEqual(expectedFlows.sort());
  });

  it(`${stack}: table keyed by userId/noteId, on demand, PITR, deletion protection and retain-on-delete iff protect, TTL on the tombstones' attribute, the pending-deletions index as the service defines it locally`, () => {
    const t = one(T.table);
    expect([t.inputs["hashKey"], t.inputs["rangeKey"], t.inputs["billingMode"]]).toEqual(["userId", "noteId", "PAY_PER_REQUEST"]);
    // The attribute the service writes on account tombstones and Idempotency-Key records (contract/notes-table.ts).
    expect(t.inputs["ttl"]).toEqual({ attributeName: TTL_ATTRIBUTE, enabled: true });
    expect(t.inputs["attributes"]).toEqual([
      { name: "userId", type: "S" },
      { name: "noteId", type: "S" },
      { name: "pendingDeletion", type: "S" },
      { name: "leaseUntil", type: "N" },
    ]);
    // The reaper's index (contract/notes-table.ts), the same as the local table's, keys only.
    expect(t.inputs["globalSecondaryIndexes"]).toEqual([
      { name: "pendingDeletions", hashKey: "pendingDeletion", rangeKey: "leaseUntil", projectionType: "KEYS_ONLY" },
    ]);
    const local = createNotesTableInput("local");
    expect(local.AttributeDefinitions?.map((a) => ({ name: a.AttributeName, type: a.AttributeType }))).toEqual(t.inputs["attributes"]);
    expect(local.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: "pendingDeletions",
        KeySchema: [
          { AttributeName: "pendingDeletion", KeyType: "HASH" },
          { AttributeName: "leaseUntil", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "KEYS_ONLY" },
      },
    ]);
    expect(t.inputs["pointInTimeRecovery"]).toEqual({ enabled: config.protect });
    expect(t.inputs["deletionProtectionEnabled"]).toBe(config.protect);
    expect(t.retainOnDelete, `${t.urn} retainOnDelete`).toBe(config.protect);
  });

  describeBackendInvariants(stack, config, () => outputs);
  describeEdgeInvariants(stack, config, () => outputs);
  describeMonitoringInvariants(stack, config);
  describeAppConfigInvariants(stack, config, () => outputs);
  itPassesThePolicyPack(stack);

  describe(`${stack}: deployment, stage, gateway responses (invariant 6)`, () => {
    it("Deployment triggers equal the hash of every route/method/integration/authorizer/gateway-response setting", () => {
      const d = one(T.deployment);
      const expected = deploymentHash(
        describeApi({
          routes,
          gatewayResponses,
          corsAllowedOrigins: config.corsAllowedOrigins,
          authorizerCacheTtlSeconds: config.authorizerCacheTtlSeconds,
          integrationPort: LISTENER_PORT,
        }),
        {
          host: outputOf(one(T.lb), "dnsName"),
          vpcLinkId: idOf(one(T.vpcLink)),
          integrationTarget: outputOf(one(T.lb), "arn"),
          userPoolArn: outputOf(one(T.pool), "arn"),
        },
      );
      expect(d.inputs["triggers"]).toEqual({ redeployment: expected, executeApiEndpoint: config.customDomain ? "disabled" : "enabled" });
    });

    it("Deployment depends on every method and integration, and is not delete-before-replace", () => {
      const d = one(T.deployment);
      for (const r of [...ofType(T.method), ...ofType(T.integration), ...ofType(T.response)]) expect(d.dependsOn, `${r.urn} missing`).toContain(r.name);
      expect(d.deleteBeforeReplace).toBe(false);
    });

    it("a separate Stage with this JSON access log format and tracing from config; throttling values from config", () => {
      const stage = one(T.stage);
      expect(stage.inputs["deployment"]).toBe(idOf(one(T.deployment)));
      expect(stage.inputs["stageName"]).toBe(config.stageName);
      expect(stage.inputs["xrayTracingEnabled"]).toBe(config.tracing);
      const format: string = stage.inputs["accessLogSettings"].format;
      expect(format).toBe(ACCESS_LOG_FORMAT);
      const sample = JSON.parse(format.replace(/\$context\.error\.messageString/g, '"boom"'));
      for (const k of ["requestId", "ip", "httpMethod", "resourcePath", "status", "responseLength", "sub", "error"]) expect(sample, k).toHaveProperty(k);
      expect(sample.sub).toBe("$context.authorizer.claims.sub");
      const ms = one(T.methodSettings);
      expect(ms.inputs["settings"]).toMatchObject({
        throttlingRateLimit: config.throttleRateLimit,
        throttlingBurstLimit: config.throttleBurstLimit,
        metricsEnabled: true,
      });
    });

    it(`API Gateway account role: ${config.apiGatewayAccountRole === "create" ? "created, and the stage waits for it" : "none created"}`, () => {
      const accounts = ofType(T.account);
      if (config.apiGatewayAccountRole === "existing") return expect(accounts).toEqual([]);
      expect(accounts).toHaveLength(1);
      expect(one(T.stage).dependsOn).toContain(accounts[0]!.name);
      expect(one(T.methodSettings).dependsOn).toContain(accounts[0]!.name);
    });

    it(`API Gateway account role: ${config.apiGatewayAccountRole === "create" ? "the Account, its role and the policy attachment are kept on delete" : "nothing to keep"}`, () => {
      // Destroying the Account resets the region's setting, deleting its role breaks it the same way:
      // whichever stack created them, its destroy must leave the region's stage logging working.
      const accounts = ofType(T.account);
      if (config.apiGatewayAccountRole === "existing") return expect(accounts).toEqual([]);
      const account = one(T.account);
      const role = ofType(T.role).find((r) => outputOf(r, "arn") === account.inputs["cloudwatchRoleArn"]);
      expect(role, `${account.urn}: no recorded role has the ARN it names`).toBeDefined();
      const attachments = ofType(T.rolePolicyAttachment).filter((a) => a.inputs["role"] === outputOf(role!, "name"));
      expect(attachments.map((a) => a.inputs["policyArn"])).toEqual(["arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"]);
      for (const r of [account, role!, ...attachments]) expect(r.retainOnDelete, `${r.urn} is not retainOnDelete`).toBe(true);
    });

    it("one JSON gateway response per contract entry (401/403/429/4XX/5XX…), CORS headers iff origins are set", () => {
      const responses = ofType(T.response);
      expect(responses.map((r) => r.inputs["responseType"]).sort()).toEqual(gatewayResponses.map((g) => g.type).sort());
      for (const spec of gatewayResponses) {
        const r = responses.find((x) => x.inputs["responseType"] === spec.type)!;
        expect(r.inputs["statusCode"], r.urn).toBe(spec.statusCode === undefined ? undefined : String(spec.statusCode));
        expect(r.inputs["responseTemplates"], r.urn).toEqual({ "application/json": gatewayResponseTemplate(spec) });
        const body = JSON.parse(r.inputs["responseTemplates"]["application/json"].replace("$context.error.messageString", '"x"'));
        expect(body.error.code, r.urn).toBe(spec.code);
        const headers = Object.keys(r.inputs["responseParameters"] ?? {});
        if (config.corsAllowedOrigins.length === 0) expect(headers, r.urn).toEqual([]);
        else expect(headers, r.urn).toContain("gatewayresponse.header.Access-Control-Allow-Headers");
      }
      for (const status of ["401", "403", "429"]) expect(responses.map((r) => r.inputs["statusCode"])).toContain(status);
    });
  });

  it(`${stack}: stack outputs apiUrl, region, userPoolId, userPoolClientId, issuer, tableName, amplifyOutputs, alarmTopicArn, dashboardUrl${config.customDomain && !config.customDomain.hostedZoneId ? ", domainTarget" : ""} (invariant 7)`, () => {
    // Pulumi drops outputs whose value is undefined (domainTarget without a domain, or with a zone).
    const defined = Object.keys(outputs)
      .filter((k) => outputs[k] !== undefined)
      .sort();
    const expected = ["alarmTopicArn", "amplifyOutputs", "apiUrl", "dashboardUrl", "issuer", "region", "tableName", "userPoolClientId", "userPoolId"];
    if (config.customDomain && !config.customDomain.hostedZoneId) expected.push("domainTarget");
    expect(defined).toEqual(expected.sort());
    expect(outputs["apiUrl"]).toBe(config.customDomain ? `https://${config.customDomain.name}` : executeApiUrl(config));
    expect(outputs["region"]).toBe(REGION);
    expect(outputs["userPoolId"]).toBe(idOf(one(T.pool)));
    expect(outputs["userPoolClientId"]).toBe(idOf(one(T.client)));
    expect(outputs["tableName"]).toBe(outputOf(one(T.table), "name"));
    expect(outputs["alarmTopicArn"]).toBe(outputOf(one(T.topic), "arn"));
    expect(outputs["dashboardUrl"]).toBe(
      `https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#dashboards/dashboard/user-aware-api-${stack}`,
    );
  });
}
