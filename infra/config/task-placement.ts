/**
 * Config section for the cheap (dev) layouts: Fargate Spot, and the waiver that lets a protected
 * stack run its tasks with public IPs (`natGateways: None`). Composed in index.ts's parseConfig
 * after the core section, whose values the cross-checks read.
 */
import { configKey, type ConfigReader } from "./reader";
import type { CoreConfig } from "./core";

export interface TaskPlacementConfig {
  /**
   * Run the service's tasks on FARGATE_SPOT (about 70% cheaper; AWS may reclaim a task with a
   * SIGTERM two minutes ahead, and does not fall back to on-demand when Spot capacity is short).
   * X86_64 only: Fargate Spot does not run ARM64 Linux tasks.
   */
  readonly spot: boolean;
  /**
   * Explicit waiver: allow `natGateways: None` (tasks with public IPs in public subnets) on a stack
   * with `protect: true`. Public-IP tasks are a dev layout; a protected stack needs this to say so.
   */
  readonly allowPublicTaskIps: boolean;
}

export function readTaskPlacementConfig(r: ConfigReader, core: CoreConfig): TaskPlacementConfig {
  const spot = r.bool("spot", false);
  const allowPublicTaskIps = r.bool("allowPublicTaskIps", false);

  if (spot && core.cpuArchitecture === "ARM64") {
    r.problem("spot", `true needs ${configKey("cpuArchitecture")} X86_64: Fargate Spot does not run ARM64 Linux tasks (set spot false, or use X86_64)`);
  }
  if (core.natGateways === "None" && core.protect && !allowPublicTaskIps) {
    r.problem(
      "natGateways",
      `None runs the tasks in public subnets with public IPs, a dev layout, but ${configKey("protect")} is true (a production stack): ` +
        `use Single or OnePerAz, or set ${configKey("allowPublicTaskIps")} true to accept public task IPs on this stack`,
    );
  }
  return { spot, allowPublicTaskIps };
}
