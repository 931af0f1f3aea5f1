import { ApiError } from "../http/api-error";

/** Why a token was refused. Goes to the log line; the client only ever sees `unauthorized`. */
export type UnauthorizedReason =
  | "missing_header"
  | "malformed_header"
  | "undecodable_token"
  | "payload_not_object"
  | "missing_sub"
  | "sub_too_long"
  /** Not well-formed UTF-16 (a lone surrogate): it could not name one partition. */
  | "sub_not_well_formed"
  | "wrong_token_use"
  | "wrong_issuer"
  | "wrong_audience"
  | "missing_exp"
  | "expired"
  | "exp_out_of_range"
  | "missing_iat"
  | "iat_out_of_range"
  | "bad_claim_type"
  | "bad_signature"
  /** A valid token of an account DELETE /me has deleted: it can create nothing. */
  | "account_deleted";

/** A refused token: always 401 `unauthorized`, one reason per failed check. */
export class UnauthorizedError extends ApiError {
  override readonly reason: UnauthorizedReason;

  constructor(reason: UnauthorizedReason, cause?: unknown) {
    super("unauthorized", "Unauthorized", { reason, cause });
    this.name = "UnauthorizedError";
    this.reason = reason;
  }
}
