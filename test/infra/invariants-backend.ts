/**
 * Network invariant 5 (docs/architecture.md#infrastructure-invariants) and the Fargate service's runtime settings, asserted on the
 * resources the program registered (the program is loaded by describeInvariants).
 */
import { describe, expect, it } from "vitest";
import { DEREGISTRATION_DELAY_SECONDS, LISTENER_PORT } from "../../infra/backend/network";
import { CPU_TARGET_PERCENT, INDEX_ACTIONS, SHUTDOWN_TIMEOUT_MS, STOP_TIMEOUT_SECONDS, TABLE_ACTIONS, USER_POOL_ACTIONS } from "../../infra/backend/service";
import { capacityModel, requestCountTargetPerMinute, requestTargetReachable } from "../../infra/backend/capacity";
import { TASK_NETWORK_TAG } from "../../infra/backend/network-layout";
import type { StackConfig } from "../../infra/config";
import { HEALTH_PATH } from "../../contract/routes";
import { SERVICE_PORT, serviceEnv } from "../../contract/service-env";
import { ofType, outputsFor, REGION, type Recorded, type ResourceInputs } from "./mocks";
import { idOf, one, outputOf, T } from "./recorded";

export function describeBackendInvariants(stack: string, config: StackConfig, stackOutputs: () => Record<string, unknown>): void {
  describe(`${stack}: network (invariant 5)`, () => {
    it("the load balancer is in private subnets, behind its own group", () => {
      const lb = one(T.lb);
      const vpc = one(T.vpc);
      expect(lb.inputs["subnets"], lb.urn).toEqual(outputsFor(vpc.type, vpc.name, {})["privateSubnetIds"]);
      expect(lb.inputs["idleTimeout"], lb.urn).toBe(60);
      expect(vpc.inputs["natGateways"]).toEqual({ strategy: config.natGateways });
    });

    it("security groups chain VPC link → ALB (listener port) → tasks (container port); no other ingress", () => {
      const sgId = (suffix: string) => idOf(ofType(T.sg).find((g) => g.name.endsWith(suffix))!);
      for (const g of ofType(T.sg)) expect(g.inputs["ingress"] ?? [], `${g.urn} has inline ingress`).toEqual([]);
      const rules = ofType(T.ingress).map((r) => ({
        to: r.inputs["securityGroupId"],
        from: r.inputs["referencedSecurityGroupId"],
        port: [r.inputs["fromPort"], r.inputs["toPort"]],
        cidr: r.inputs["cidrIpv4"] ?? r.inputs["cidrIpv6"],
        urn: r.urn,
      }));
      expect(rules.map(({ urn: _urn, ...r }) => r)).toEqual(
        expect.arrayContaining([
          { to: sgId("alb-sg"), from: sgId("vpclink-sg"), port: [LISTENER_PORT, LISTENER_PORT], cidr: undefined },
          { to: sgId("tasks-sg"), from: sgId("alb-sg"), port: [SERVICE_PORT, SERVICE_PORT], cidr: undefined },
        ]),
      );
      expect(rules).toHaveLength(2);
      const link = one(T.vpcLink);
      expect(link.inputs["securityGroupIds"]).toEqual([sgId("vpclink-sg")]);
      expect(one(T.lb).inputs["securityGroups"]).toEqual([sgId("alb-sg")]);
      const fargate = one(T.fargate);
      expect(fargate.inputs["networkConfiguration"].securityGroups).toEqual([sgId("tasks-sg")]);
    });

    // What the VPC hands out (the awsx Vpc is opaque under mocks: mocks.ts answers as awsx does).
    const vpcOut = () => {
      const vpc = one(T.vpc);
      return outputsFor(vpc.type, vpc.name, vpc.inputs) as ResourceInputs;
    };

    it("the task group admits only the load balancer's group, on the container port, whatever the NAT layout", () => {
      const sg = ofType(T.sg).find((g) => g.name.endsWith("tasks-sg"))!;
      const tasksSg = idOf(sg);
      const albSg = idOf(ofType(T.sg).find((g) => g.name.endsWith("alb-sg"))!);
      const rules = ofType(T.ingress).filter((r) => r.inputs["securityGroupId"] === tasksSg);
      expect(rules.length, "the tasks need the ALB's ingress rule").toBeGreaterThan(0);
      for (const r of rules) {
        expect(r.inputs["referencedSecurityGroupId"], `${r.urn} admits something other than the ALB`).toBe(albSg);
        expect([r.inputs["ipProtocol"], r.inputs["fromPort"], r.inputs["toPort"]], r.urn).toEqual(["tcp", SERVICE_PORT, SERVICE_PORT]);
        for (const open of ["cidrIpv4", "cidrIpv6", "prefixListId"]) expect(r.inputs[open], `${r.urn} has ${open}`).toBeUndefined();
      }
      expect(sg.inputs["ingress"] ?? [], `${sg.urn} has inline ingress`).toEqual([]);
    });

    if (config.natGateways === "None") {
      it("natGateways None: no NAT gateway is requested; tasks get a public IP in the public subnets; ALB and VPC link stay private", () => {
        const f = one(T.fargate);
        expect(one(T.vpc).inputs["natGateways"], "the VPC is asked for no NAT gateway").toEqual({ strategy: "None" });
        expect(f.inputs["assignPublicIp"], f.urn).toBeUndefined();
        expect(f.inputs["networkConfiguration"].assignPublicIp, f.urn).toBe(true);
        expect(f.inputs["networkConfiguration"].subnets, f.urn).toEqual(vpcOut()["publicSubnetIds"]);
        expect(f.inputs["tags"], f.urn).toEqual({ [TASK_NETWORK_TAG]: "public-subnets-dev-layout" });
        expect(one(T.lb).inputs["subnets"]).toEqual(vpcOut()["privateSubnetIds"]);
        expect(one(T.vpcLink).inputs["subnetIds"]).toEqual(vpcOut()["privateSubnetIds"]);
      });
    } else {
      it(`natGateways ${config.natGateways}: tasks run in private subnets without a public IP (as before natGateways None existed)`, () => {
        const f = one(T.fargate);
        // awsx's FargateService throws if both top-level assignPublicIp and networkConfiguration are given.
        expect(f.inputs["assignPublicIp"], f.urn).toBeUndefined();
        expect(f.inputs["networkConfiguration"].assignPublicIp, f.urn).toBe(false);
        expect(f.inputs["networkConfiguration"].subnets, f.urn).toEqual(vpcOut()["privateSubnetIds"]);
        expect(f.inputs["tags"], f.urn).toEqual({ [TASK_NETWORK_TAG]: "private-subnets" });
        expect(one(T.vpcLink).inputs["subnetIds"]).toEqual(vpcOut()["privateSubnetIds"]);
      });
    }

    it("a DynamoDB gateway endpoint sits on exactly the route tables of the tasks' subnets and admits only this table", () => {
      const endpoint = one(T.vpcEndpoint);
      expect(endpoint.inputs["vpcEndpointType"], endpoint.urn).toBe("Gateway");
      expect(endpoint.inputs["serviceName"], endpoint.urn).toBe(`com.amazonaws.${REGION}.dynamodb`);
      expect(endpoint.inputs["vpcId"], endpoint.urn).toBe(vpcOut()["vpcId"]);
      const taskSubnets: string[] = one(T.fargate).inputs["networkConfiguration"].subnets;
      const associations: { subnetId: string; routeTableId: string }[] = vpcOut()["routeTableAssociations"];
      const expected = associations.filter((a) => taskSubnets.includes(a.subnetId)).map((a) => a.routeTableId);
      expect(expected).toHaveLength(taskSubnets.length);
      expect([...endpoint.inputs["routeTableIds"]].sort(), endpoint.urn).toEqual([...expected].sort());
      // Public route tables in the dev layout, private ones otherwise.
      const kind = config.natGateways === "None" ? "public" : "private";
      for (const id of endpoint.inputs["routeTableIds"]) expect(id, endpoint.urn).toMatch(new RegExp(`-${kind}-[ab]-rt$`));

      const tableArn = outputOf(one(T.table), "arn");
      const statements = JSON.parse(endpoint.inputs["policy"]).Statement as { Effect: string; Resource: string[] }[];
      for (const st of statements) {
        expect(st.Effect).toBe("Allow");
        for (const res of st.Resource) expect([tableArn, `${tableArn}/index/*`], `${endpoint.urn} admits ${res}`).toContain(res);
      }
      // Whatever DynamoDB resource the task role may touch, the endpoint lets through (the role's
      // Cognito statement, for DELETE /me, goes to Cognito's endpoint, not through this one).
      const roleResources = (JSON.parse(one(T.rolePolicy).inputs["policy"]).Statement as { Action: string[]; Resource: string | string[] }[])
        .filter((st) => st.Action.every((a) => a.startsWith("dynamodb:")))
        .flatMap((st) => [st.Resource].flat());
      expect(roleResources).toContain(tableArn);
      // An index ARN is let through by the endpoint's `<table>/index/*`.
      const admitted = statements.flatMap((st) => st.Resource);
      for (const res of roleResources) expect(admitted, res).toContain(res.startsWith(`${tableArn}/index/`) ? `${tableArn}/index/*` : res);
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

  describe(`${stack}: capacity (spot ${config.spot})`, () => {
    const capacity = (): Recorded => one(T.capacityProviders);

    it("the cluster declares FARGATE and FARGATE_SPOT; the service depends on that declaration", () => {
      const c = capacity();
      expect(c.inputs["clusterName"], c.urn).toBe(outputOf(one(T.cluster), "name"));
      expect([...c.inputs["capacityProviders"]].sort(), c.urn).toEqual(["FARGATE", "FARGATE_SPOT"]);
      expect(one(T.fargate).dependsOn, "the service must wait for its capacity provider").toContain(c.name);
    });

    it(`the service runs on ${config.spot ? "FARGATE_SPOT" : "FARGATE"} through a capacity provider strategy, never a launch type`, () => {
      const f = one(T.fargate);
      const strategy = [{ capacityProvider: config.spot ? "FARGATE_SPOT" : "FARGATE", weight: 1 }];
      expect(f.inputs["capacityProviderStrategies"], f.urn).toEqual(strategy);
      // awsx sets launchType FARGATE unless a strategy is given; the two conflict in ECS.
      expect(f.inputs["launchType"], f.urn).toBeUndefined();
      expect(f.inputs["useClusterDefaultCapacityProviderStrategy"], f.urn).toBeUndefined();
      // ECS refuses to change a strategy without a new deployment.
      expect(f.inputs["forceNewDeployment"], f.urn).toBe(true);
      expect(capacity().inputs["defaultCapacityProviderStrategies"]).toEqual(strategy);
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
      expect(f.inputs["loadBalancers"]).toEqual([
        { targetGroupArn: outputOf(one(T.tg), "arn"), containerName: td.container.name, containerPort: SERVICE_PORT },
      ]);
    });

    it("the autoscaler keeps the task count across deploys: the ECS service ignores desiredCount changes", async () => {
      const f = one(T.fargate);
      const ecsService = { custom: true, type: "aws:ecs/service:Service", name: "svc", props: { desiredCount: 1 }, opts: {} };
      const results = await Promise.all(f.transforms.map((t) => t(ecsService)));
      expect(
        results.some((r) => r?.opts.ignoreChanges?.includes("desiredCount")),
        `${f.urn}: no transform ignores desiredCount`,
      ).toBe(true);
      // Other children are left alone.
      const other = await Promise.all(f.transforms.map((t) => t({ ...ecsService, type: "aws:ecs/taskDefinition:TaskDefinition" })));
      expect(other.every((r) => r === undefined)).toBe(true);
    });

    it("environment: table, issuer, client id, auth mode and the contract's names only", () => {
      const env = Object.fromEntries(
        (one(T.fargate).inputs["taskDefinitionArgs"].container.environment as { name: string; value: string }[]).map((e) => [e.name, e.value]),
      );
      for (const k of Object.keys(env)) expect(Object.values(serviceEnv), `unknown env ${k}`).toContain(k);
      expect(env["PORT"]).toBe(String(SERVICE_PORT));
      // Listening on all interfaces: a loopback-bound task would fail every health check.
      expect(env["LISTEN_HOST"]).toBeUndefined();
      expect(env["TABLE_NAME"]).toBe(outputOf(one(T.table), "name"));
      expect(env["COGNITO_ISSUER"]).toBe(stackOutputs()["issuer"]);
      expect(env["COGNITO_ISSUER"]).toBe(`https://cognito-idp.${REGION}.amazonaws.com/${stackOutputs()["userPoolId"]}`);
      expect(env["COGNITO_CLIENT_ID"]).toBe(idOf(one(T.client)));
      // DELETE /me deletes users of this pool; the endpoint override and the reaper's timing are local/test-only.
      expect(env["COGNITO_USER_POOL_ID"]).toBe(stackOutputs()["userPoolId"]);
      expect(env["COGNITO_ENDPOINT"]).toBeUndefined();
      expect(env["WRITE_DEADLINE_MS"]).toBeUndefined();
      expect(env["REAPER_PERIOD_MS"]).toBeUndefined();
      expect(env["DELETION_LEASE_MS"]).toBeUndefined();
      expect(env["AUTH_MODE"]).toBe(config.authMode);
      expect(env["AWS_REGION"]).toBe(REGION);
      expect(env["SHUTDOWN_TIMEOUT_MS"]).toBe(String(SHUTDOWN_TIMEOUT_MS));
      // HTTP_PROXY passes the service's responses through: their CORS headers come from the service.
      expect(env["CORS_ALLOWED_ORIGINS"]).toBe(config.corsAllowedOrigins.length > 0 ? config.corsAllowedOrigins.join(",") : undefined);
    });

    it("task role may only do item actions on this table, Query on its pending-deletions index, and AdminDeleteUser on this pool; logs kept logRetentionDays", () => {
      const doc = JSON.parse(one(T.rolePolicy).inputs["policy"]);
      const tableArn = outputOf(one(T.table), "arn");
      expect(doc.Statement).toEqual([
        { Effect: "Allow", Action: [...TABLE_ACTIONS], Resource: tableArn },
        { Effect: "Allow", Action: [...INDEX_ACTIONS], Resource: `${tableArn}/index/pendingDeletions` },
        { Effect: "Allow", Action: [...USER_POOL_ACTIONS], Resource: outputOf(one(T.pool), "arn") },
      ]);
      // The reaper reads the index; nothing else may be done on it.
      expect([...INDEX_ACTIONS]).toEqual(["dynamodb:Query"]);
      for (const a of TABLE_ACTIONS) expect(a).toMatch(/^dynamodb:(GetItem|PutItem|UpdateItem|DeleteItem|ConditionCheckItem|Query|BatchWriteItem)$/);
      expect(TABLE_ACTIONS).toContain("dynamodb:BatchWriteItem");
      // The create's transaction: IAM authorizes its Put and its tombstone check item by item.
      expect(TABLE_ACTIONS).toEqual(expect.arrayContaining(["dynamodb:PutItem", "dynamodb:ConditionCheckItem"]));
      expect([...USER_POOL_ACTIONS]).toEqual(["cognito-idp:AdminDeleteUser"]);
      // Scoped: no wildcard action or resource, no Scan, the table ARN and one named index, no `/index/*` or `*`.
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
      const metrics = ofType(T.scalingPolicy).map(
        (p) => p.inputs["targetTrackingScalingPolicyConfiguration"].predefinedMetricSpecification.predefinedMetricType,
      );
      expect(metrics).toContain("ECSServiceAverageCPUUtilization");
      // The request-count target follows this stack's task size: requests per task per minute
      // from the measured CPU per notes request (infra/backend/capacity.ts), not a fixed number.
      const targets = Object.fromEntries(
        ofType(T.scalingPolicy).map((p) => {
          const c = p.inputs["targetTrackingScalingPolicyConfiguration"];
          return [c.predefinedMetricSpecification.predefinedMetricType, c.targetValue];
        }),
      );
      expect(targets).toEqual({ ECSServiceAverageCPUUtilization: CPU_TARGET_PERCENT, ALBRequestCountPerTarget: requestCountTargetPerMinute(config.taskCpu) });
      expect(config.requestCountTargetPerMinute).toBe(requestCountTargetPerMinute(config.taskCpu));
      const image = one(T.image);
      expect(image.inputs["dockerfile"]).toMatch(/[/\\]service[/\\]Dockerfile$/);
      expect(`${image.inputs["context"]}/service/Dockerfile`.replace(/\\/g, "/")).toBe(image.inputs["dockerfile"].replace(/\\/g, "/"));
    });

    it("the request-count target is reachable under the stage throttle, and the throttle is what maxTasks can serve", () => {
      const target = ofType(T.scalingPolicy)
        .map((p) => p.inputs["targetTrackingScalingPolicyConfiguration"])
        .find((c) => c.predefinedMetricSpecification.predefinedMetricType === "ALBRequestCountPerTarget").targetValue as number;
      const stageWide = ofType(T.methodSettings).find((m) => m.inputs["methodPath"] === "*/*")!;
      const throttle = stageWide.inputs["settings"].throttlingRateLimit as number;
      // ALBRequestCountPerTarget is requests per task per minute; the throttle is per second over
      // all tasks. At minTasks, every task can reach the target under the throttle, so scaling out
      // on requests can fire from the minimum.
      expect(requestTargetReachable(config.minTasks, target, throttle), `${config.minTasks} × ${target}/min > ${throttle} rps`).toBe(true);
      expect((config.minTasks * target) / 60).toBeLessThanOrEqual(throttle);
      // The throttle admits no more than maxTasks serve with their CPU fully used.
      expect(throttle).toBeLessThanOrEqual(capacityModel(config).maxThrottleRateLimit);
    });
  });
}
