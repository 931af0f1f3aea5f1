import { tokenFromAuthorization } from "../../../contract/authorization";
import { UnauthorizedError } from "./errors";

/** The token from an Authorization header value, or UnauthorizedError (missing / malformed). */
export function tokenFromHeader(header: string | undefined): string {
  const read = tokenFromAuthorization(header);
  if ("refused" in read) throw new UnauthorizedError(read.refused === "missing" ? "missing_header" : "malformed_header");
  return read.token;
}
