import type { Logger as PinoLogger } from "pino";

/** The logging surface the service uses; a pino logger satisfies it. */
export type Logger = Pick<PinoLogger, "info" | "warn" | "error" | "debug">;
