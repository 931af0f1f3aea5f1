import type { Readiness } from "../app";

/** Something that must have finished loading before the process can serve (the JWKS). */
export interface ReadinessCondition {
  readonly ready: boolean;
}

/**
 * The process's readiness as `/health` reports it: not ready until every condition holds (verify
 * mode: the JWKS is loaded), and never again once draining has begun — the load balancer should
 * stop sending new requests while in-flight ones finish.
 */
export class ServiceReadiness implements Readiness {
  private readonly conditions: readonly ReadinessCondition[];
  private draining = false;

  constructor(conditions: readonly ReadinessCondition[] = []) {
    this.conditions = [...conditions];
  }

  isReady(): boolean {
    return !this.draining && this.conditions.every((c) => c.ready);
  }

  startDraining(): void {
    this.draining = true;
  }
}
