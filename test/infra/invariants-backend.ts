/**
 * DESIGN.md "Infra" invariant 5 and the Fargate service's runtime settings, asserted on the
 * resources the program registered (the program is loaded by describeInvariants).
 */
import { describe, expect, it } from "vitest";
import { DEREGISTRATION_DELAY_SECONDS, LISTENER_PORT } from "../../infra/network";
import { SHUTDOWN_TIMEOUT_MS, STOP_TIMEOUT_SECONDS, TABLE_ACTIONS, USER_POOL_ACTIONS } from "../../infra/backend";
import type { StackConfig } from "../../infra/config";
import { HEALTH_PATH } from "../../contract/routes";
import { SERVICE_PORT, serviceEnv } from "../../contract/service-env";
import { ofType, outputsFor, REGION } from "./mocks";
import { idOf, one, outputOf, T } from "./recorded";

export function describeBackendInvariants(stack: string, config: StackConfig, stackOutputs: () => Record<string, unknown>): void {
  describe(`${stack}: network (invariant 5)`, () => {
    it("the load balancer is internal, in private subnets, behind its own group", () => {
      const lb = one(T.lb);
      const vpc = one(T.vpc);
      expect(lb.inputs["internal"], lb.urn).toBe(true);
      expect(lb.inputs["subnets"], lb.urn).toEqual(outputsFor(vpc.type, vpc.name, {})["privateSubnetIds"]);
      expect(lb.inputs["idleTimeout"], lb.urn).toBe(60);
      expect(vpc.inputs["natGateways"]).toEqual({ strategy: config.natGateways });
    });

    it("security groups chain VPC link → ALB (listener port) → tasks (container port); no other ingress, none from 0.0.0.0/0", () => {
      const sgId = (suffix: string) => idOf(ofType(T.sg).find((g) => g.name.endsWith(suffix))!);
      for (const g of ofType(T.sg)) expect(g.inputs["ingress"] ?? [], `${g.urn} has inline ingress`).toEqual([]);
      const rules = ofType(T.ingress).map((r) => ({ to: r.inputs["securityGroupId"], from: r.inputs["referencedSecurityGroupId"], port: [r.inputs["fromPort"], r.inputs["toPort"]], cidr: r.inputs["cidrIpv4"] ?? r.inputs["cidrIpv6"], urn: r.urn }));
      for (const r of rules) expect(r.cidr, `${r.urn} admits a CIDR`).toBeUndefined();
      expect(rules.map(({ urn: _urn, ...r }) => r)).toEqual(expect.arrayContaining([
        { to: sgId("alb-sg"), from: sgId("vpclink-sg"), port: [LISTENER_PORT, LISTENER_PORT], cidr: undefined },
        { to: sgId("tasks-sg"), from: sgId("alb-sg"), port: [SERVICE_PORT, SERVICE_PORT], cidr: undefined },
      ]));
      expect(rules).toHaveLength(2);
      const link = one(T.vpcLink);
      expect(link.inputs["securityGroupIds"]).toEqual([sgId("vpclink-sg")]);
      expect(one(T.lb).inputs["securityGroups"]).toEqual([sgId("alb-sg")]);
      const fargate = one(T.fargate);
      expect(fargate.inputs["networkConfiguration"].securityGroups).toEqual([sgId("tasks-sg")]);
    });

    it("tasks run in private subnets without a public IP", () => {
      const f = one(T.fargate);
      const vpc = one(T.vpc);
      // awsx's FargateService throws if both top-level assignPublicIp and networkConfiguration are given.
      expect(f.inputs["assignPublicIp"], f.urn).toBeUndefined();
      expect(f.inputs["networkConfiguration"].assignPublicIp, f.urn).toBe(false);
      expect(f.inputs["networkConfiguration"].subnets, f.urn).toEqual(outputsFor(vpc.type, vpc.name, {})["privateSubnetIds"]);
      expect(one(T.vpcLink).inputs["subnetIds"]).toEqual(outputsFor(vpc.type, vpc.name, {})["privateSubnetIds"]);
    });

    it("target group health-checks /health on the container port; deregistration delay below stopTimeout", () => {
      const tg = one(T.tg);
      expect(tg.inputs["port"]).toBe(SERVICE_PORT);
      expect(tg.inputs["targetType"]).toBe("ip");
      expect(tg.inputs["healthCheck"].path).toBe(HEALTH_PATH);
      expect(tg.inputs["deregistrationDelay"]).toBe(DEREGISTRATION_DELAY_SECONDS);
      expect(DEREGISTRATION_DELAY_SECONDS).toBeLessThan(STOP_TIMEOUT_SECONDS);
      const l = one(T.listener);
      expect(l.inputs["port"]).toBe(LISTENER_PORT);
      expect(l.inputs["defaultActions"]).toEqual([{ type: "forward", targetGroupArn: outputOf(tg, "arn") }]);
    });
  });

  describe(`${stack}: Fargate service`, () => {
    it("circuit-breaker rollback, init process, stopTimeout above the drain deadline, size from config", () => {
      const f = one(T.fargate);
      expect(f.inputs["deploymentCircuitBreaker"]).toEqual({ enable: true, rollback: true });
      expect(f.inputs["desiredCount"]).toBe(config.minTasks);
      const td = f.inputs["taskDefinitionArgs"];
      expect([td.cpu, td.memory]).toEqual([String(config.taskCpu), String(config.taskMemory)]);
      expect(td.runtimePlatform.cpuArchitecture).toBe(config.cpuArchitecture);
      expect(td.container.linuxParameters.initProcessEnabled).toBe(true);
      expect(td.container.stopTimeout).toBe(STOP_TIMEOUT_SECONDS);
      expect(SHUTDOWN_TIMEOUT_MS).toBeLessThan(STOP_TIMEOUT_SECONDS * 1000);
      expect(td.container.portMappings).toEqual([{ containerPort: SERVICE_PORT, hostPort: SERVICE_PORT, protocol: "tcp" }]);
      expect(f.inputs["loadBalancers"]).toEqual([{ targetGroupArn: outputOf(one(T.tg), "arn"), containerName: td.container.name, containerPort: SERVICE_PORT }]);
    });

    it("the autoscaler keeps the task count across deploys: the ECS service ignores desiredCount changes", async () => {
      const f = one(T.fargate);
      const ecsService = { custom: true, type: "aws:ecs/service:Service", name: "svc", props: { desiredCount: 1 }, opts: {} };
      const results = await Promise.all(f.transforms.map((t) => t(ecsService)));
      expect(results.some((r) => r?.opts.ignoreChanges?.includes("desiredCount")), `${f.urn}: no transform ignores desiredCount`).toBe(true);
      // Other children are left alone.
      const other = await Promise.all(f.transforms.map((t) => t({ ...ecsService, type: "aws:ecs/taskDefinition:TaskDefinition" })));
      expect(other.every((r) => r === undefined)).toBe(true);
    });

    it("environment: table, issuer, client id, auth mode and the contract's names only", () => {
      const env = Object.fromEntries((one(T.fargate).inputs["taskDefinitionArgs"].container.environment as { name: string; value: string }[]).map((e) => [e.name, e.value]));
      for (const k of Object.keys(env)) expect(Object.values(serviceEnv), `unknown env ${k}`).toContain(k);
      expect(env["PORT"]).toBe(String(SERVICE_PORT));
      expect(env["TABLE_NAME"]).toBe(outputOf(one(T.table), "name"));
      expect(env["COGNITO_ISSUER"]).toBe(stackOutputs()["issuer"]);
      expect(env["COGNITO_ISSUER"]).toBe(`https://cognito-idp.${REGION}.amazonaws.com/${stackOutputs()["userPoolId"]}`);
      expect(env["COGNITO_CLIENT_ID"]).toBe(idOf(one(T.client)));
      // DELETE /me deletes users of this pool; the endpoint override and the fence timing are local/test-only.
      expect(env["COGNITO_USER_POOL_ID"]).toBe(stackOutputs()["userPoolId"]);
      expect(env["COGNITO_ENDPOINT"]).toBeUndefined();
      expect(env["WRITE_DEADLINE_MS"]).toBeUndefined();
      expect(env["WRITE_IN_FLIGHT_MARGIN_MS"]).toBeUndefined();
      expect(env["AUTH_MODE"]).toBe(config.authMode);
      expect(env["AWS_REGION"]).toBe(REGION);
      expect(env["SHUTDOWN_TIMEOUT_MS"]).toBe(String(SHUTDOWN_TIMEOUT_MS));
      // HTTP_PROXY passes the service's responses through: their CORS headers come from the service.
      expect(env["CORS_ALLOWED_ORIGINS"]).toBe(config.corsAllowedOrigins.length > 0 ? config.corsAllowedOrigins.join(",") : undefined);
    });

    it("task role may only do item actions on this table and AdminDeleteUser on this pool (issue 11: must-show 7); logs kept logRetentionDays", () => {
      const doc = JSON.parse(one(T.rolePolicy).inputs["policy"]);
      expect(doc.Statement).toEqual([
        { Effect: "Allow", Action: [...TABLE_ACTIONS], Resource: outputOf(one(T.table), "arn") },
        { Effect: "Allow", Action: [...USER_POOL_ACTIONS], Resource: outputOf(one(T.pool), "arn") },
      ]);
      for (const a of TABLE_ACTIONS) expect(a).toMatch(/^dynamodb:(GetItem|PutItem|UpdateItem|DeleteItem|Query|BatchWriteItem)$/);
      expect(TABLE_ACTIONS).toContain("dynamodb:BatchWriteItem");
      expect([...USER_POOL_ACTIONS]).toEqual(["cognito-idp:AdminDeleteUser"]);
      // Scoped: no wildcard action or resource, no Scan, the table ARN without `/index/*` or `*`.
      for (const s of doc.Statement as { Action: string[]; Resource: string }[]) {
        for (const a of s.Action) expect(a, `action ${a}`).not.toMatch(/\*|Scan/);
        expect(s.Resource, `resource of ${s.Action.join(",")}`).not.toMatch(/\*/);
      }
      expect(outputOf(one(T.pool), "arn")).toMatch(/^arn:aws:cognito-idp:[^:]+:\d+:userpool\//);
      for (const g of ofType(T.logGroup)) expect(g.inputs["retentionInDays"], g.urn).toBe(config.logRetentionDays);
      const logs = one(T.fargate).inputs["taskDefinitionArgs"].container.logConfiguration;
      expect(logs.logDriver).toBe("awslogs");
      expect(ofType(T.logGroup).map((g) => outputOf(g, "name"))).toContain(logs.options["awslogs-group"]);
    });

    it("scales on CPU target tracking between minTasks and maxTasks; image from service/Dockerfile", () => {
      const target = one(T.scalingTarget);
      expect([target.inputs["minCapacity"], target.inputs["maxCapacity"]]).toEqual([config.minTasks, config.maxTasks]);
      const metrics = ofType(T.scalingPolicy).map((p) => p.inputs["targetTrackingScalingPolicyConfiguration"].predefinedMetricSpecification.predefinedMetricType);
      expect(metrics).toContain("ECSServiceAverageCPUUtilization");
      const image = one(T.image);
      expect(image.inputs["dockerfile"]).toMatch(/[/\\]service[/\\]Dockerfile$/);
      expect(`${image.inputs["context"]}/service/Dockerfile`.replace(/\\/g, "/")).toBe(image.inputs["dockerfile"].replace(/\\/g, "/"));
    });
  });
}
