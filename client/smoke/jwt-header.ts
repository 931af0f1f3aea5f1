/** A JWT's header (unverified). */
import { jwtDecode } from "jwt-decode";

export function decodeHeader(token: string): { kid?: string; alg?: string } {
  return jwtDecode<{ kid?: string; alg?: string }>(token, { header: true });
}
