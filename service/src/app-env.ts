import type { Claims } from "../../contract/claims";

/** Context variables of the app: the caller's claims (set by the claims middleware) and the request id. */
export type AppEnv = { Variables: { claims: Claims; requestId: string } };
