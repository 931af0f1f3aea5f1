/**
 * Stack-wide API Gateway invariants, 6 in docs/architecture.md#infrastructure-invariants: one Deployment whose `triggers` change
 * with every API setting (so a change is always deployed), one Stage with access logs, and
 * stage-wide throttling through MethodSettings on `*` + `/` + `*`. These count and relate resources,
 * so they are StackValidationPolicies over `args.resources` (run at the end of preview and update).
 */
import * as aws from "@pulumi/aws";
import type { Resource } from "@pulumi/pulumi";
import type { PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";

/** Resources of one class with their typed properties. */
// biome-ignore lint/suspicious/noExplicitAny: the policy SDK's asType takes exactly `new (...rest: any[]) => T`; no narrower constructor type is assignable to it.
function resourcesOf<T extends Resource>(args: StackValidationArgs, cls: new (...rest: any[]) => T) {
  return args.resources.flatMap((resource: PolicyResource) => {
    const props = resource.asType(cls);
    return props === undefined ? [] : [{ resource, props }];
  });
}

const names = (rs: readonly { resource: PolicyResource }[]) => rs.map((r) => `'${r.resource.name}'`).join(", ") || "none";

/** These rules describe a stack that has a REST API; any other stack is not this system. */
function requireRestApi(args: StackValidationArgs): void {
  if (resourcesOf(args, aws.apigateway.RestApi).length === 0) args.notApplicable("the stack declares no aws.apigateway.RestApi");
}

export const apiOneDeploymentWithTriggers: StackValidationPolicy = {
  name: "apigateway-one-deployment-with-triggers",
  description:
    "The stack declares exactly one aws.apigateway.Deployment, and its triggers are non-empty (a hash of every API setting, so any change redeploys).",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    requireRestApi(args);
    const deployments = resourcesOf(args, aws.apigateway.Deployment);
    if (deployments.length !== 1) {
      reportViolation(
        `The stack declares ${deployments.length} aws.apigateway.Deployment resources (${names(deployments)}): ` +
          `declare exactly one, with triggers, and point the Stage's deployment at it.`,
      );
    }
    for (const { resource, props } of deployments) {
      const triggers = props.triggers ?? {};
      if (Object.keys(triggers).length === 0 || Object.values(triggers).some((v) => !v)) {
        reportViolation(
          `Deployment '${resource.name}' has no triggers (${JSON.stringify(props.triggers ?? null)}), so a changed route, integration or authorizer is never deployed: ` +
            `set triggers: { redeployment: <hash of every route, method, integration, authorizer and gateway-response setting> }.`,
          resource.urn,
        );
      }
    }
  },
};

export const apiOneStageWithAccessLogs: StackValidationPolicy = {
  name: "apigateway-one-stage-with-access-logs",
  description: "The stack declares exactly one aws.apigateway.Stage, and it has accessLogSettings with a destinationArn and a format.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    requireRestApi(args);
    const stages = resourcesOf(args, aws.apigateway.Stage);
    if (stages.length !== 1) {
      reportViolation(
        `The stack declares ${stages.length} aws.apigateway.Stage resources (${names(stages)}): declare exactly one, pointing at the Deployment.`,
      );
    }
    for (const { resource, props } of stages) {
      const logs = props.accessLogSettings;
      if (!logs?.destinationArn || !logs.format) {
        reportViolation(
          `Stage '${resource.name}' writes no access log (accessLogSettings: ${JSON.stringify(logs ?? null)}): ` +
            `set accessLogSettings: { destinationArn: <log group ARN>, format: <one JSON line per request> }.`,
          resource.urn,
        );
      }
    }
  },
};

/** MethodSettings path that covers every resource and method of the stage. */
export const ALL_METHODS = "*/*";

export const apiStageThrottled: StackValidationPolicy = {
  name: "apigateway-stage-throttled",
  description: `Every aws.apigateway.Stage has an aws.apigateway.MethodSettings with methodPath "${ALL_METHODS}" and positive settings.throttlingRateLimit and settings.throttlingBurstLimit.`,
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    requireRestApi(args);
    const allSettings = resourcesOf(args, aws.apigateway.MethodSettings);
    for (const { resource, props: stage } of resourcesOf(args, aws.apigateway.Stage)) {
      const stageWide = allSettings.filter(({ props: ms }) => ms.stageName === stage.stageName && ms.methodPath === ALL_METHODS);
      const throttled = stageWide.some(({ props: ms }) => (ms.settings?.throttlingRateLimit ?? 0) > 0 && (ms.settings?.throttlingBurstLimit ?? 0) > 0);
      if (throttled) continue;
      if (stageWide.length === 0) {
        reportViolation(
          `Stage '${resource.name}' (stageName ${JSON.stringify(stage.stageName)}) is not throttled: add an aws.apigateway.MethodSettings with ` +
            `stageName: ${JSON.stringify(stage.stageName)}, methodPath: "${ALL_METHODS}", settings: { throttlingRateLimit: <rps>, throttlingBurstLimit: <burst> } (both > 0).`,
          resource.urn,
        );
      }
      for (const { resource: ms, props } of stageWide) {
        reportViolation(
          `MethodSettings '${ms.name}' (stageName ${JSON.stringify(stage.stageName)}, methodPath "${ALL_METHODS}") does not throttle the stage ` +
            `(throttlingRateLimit: ${JSON.stringify(props.settings?.throttlingRateLimit ?? null)}, throttlingBurstLimit: ${JSON.stringify(props.settings?.throttlingBurstLimit ?? null)}): ` +
            `set settings.throttlingRateLimit and settings.throttlingBurstLimit, both > 0.`,
          ms.urn,
        );
      }
    }
  },
};

export const stackPolicies: StackValidationPolicy[] = [apiOneDeploymentWithTriggers, apiOneStageWithAccessLogs, apiStageThrottled];
