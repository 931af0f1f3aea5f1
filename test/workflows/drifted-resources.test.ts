/**
 * .github/scripts/drifted-resources.sh, which the drift workflow's summary uses to name what
 * differs: fed the layout of `pulumi preview --diff` output (as in pulumi/mcp-server#1's sample:
 * "~ type: (update)", then "[id=…]" and "[urn=…]" lines, then the properties).
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./workflow-checks";

const SCRIPT = path.join(ROOT, ".github", "scripts", "drifted-resources.sh");
const run = (input: string) => execFileSync("bash", [SCRIPT], { input, encoding: "utf8" });

const PREVIEW = `Previewing update (dev)

  pulumi:pulumi:Stack: (same)
    [urn=urn:pulumi:dev::user-aware-api::pulumi:pulumi:Stack::user-aware-api-dev]
    ~ aws:ecs/service:Service: (update)
        [id=arn:aws:ecs:us-east-1:123456789012:service/c/backend]
        [urn=urn:pulumi:dev::user-aware-api::awsx:ecs:FargateService$aws:ecs/service:Service::backend]
      ~ desiredCount: 1 => 2
      - tags: {
          - edited-by: "console"
        }
    +-aws:dynamodb/table:Table: (replace)
        [id=notes]
        [urn=urn:pulumi:dev::user-aware-api::aws:dynamodb/table:Table::notes]
      ~ hashKey: "pk" => "id"
    - aws:sns/topicSubscription:TopicSubscription: (delete)
        [id=sub-1]
        [urn=urn:pulumi:dev::user-aware-api::aws:sns/topicSubscription:TopicSubscription::alarm-email]
    + aws:cloudwatch/metricAlarm:MetricAlarm: (create)
        [urn=urn:pulumi:dev::user-aware-api::aws:cloudwatch/metricAlarm:MetricAlarm::api-5xx-rate]
Resources:
    ~ 1 to update
    + 1 to create
    - 1 to delete
    +-1 to replace
    30 unchanged
`;

describe("drifted-resources.sh", () => {
  it("names every resource that would change, with its operation, and none of the property lines", () => {
    expect(
      run(PREVIEW)
        .trim()
        .split("\n")
        .map((l) => l.trim()),
    ).toEqual([
      "~ aws:ecs/service:Service: (update)",
      "[urn=urn:pulumi:dev::user-aware-api::awsx:ecs:FargateService$aws:ecs/service:Service::backend]",
      "+-aws:dynamodb/table:Table: (replace)",
      "[urn=urn:pulumi:dev::user-aware-api::aws:dynamodb/table:Table::notes]",
      "- aws:sns/topicSubscription:TopicSubscription: (delete)",
      "[urn=urn:pulumi:dev::user-aware-api::aws:sns/topicSubscription:TopicSubscription::alarm-email]",
      "+ aws:cloudwatch/metricAlarm:MetricAlarm: (create)",
      "[urn=urn:pulumi:dev::user-aware-api::aws:cloudwatch/metricAlarm:MetricAlarm::api-5xx-rate]",
    ]);
  });

  it("prints nothing for a preview without changes", () => {
    expect(
      run("Previewing update (dev)\n\n  pulumi:pulumi:Stack: (same)\n    [urn=urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev]\nResources:\n    31 unchanged\n"),
    ).toBe("");
  });
});
