/** Assertions for smoke checks: each failure says what was expected and what came back. */
import { isErrorBody } from "../../contract/errors";
import type { ApiResponse } from "../api";

export class CheckFailed extends Error {
  override readonly name = "CheckFailed";
}

function show(res: ApiResponse): string {
  const body = typeof res.body === "string" ? res.body : JSON.stringify(res.body);
  return `${res.status} ${(body ?? "").slice(0, 200)}`;
}

export function expectStatus(res: ApiResponse, status: number, what: string): void {
  if (res.status !== status) throw new CheckFailed(`${what}: expected ${status}, got ${show(res)}`);
}

/** Status and the contract's error body with this code (and message, if given). */
export function expectError(res: ApiResponse, status: number, code: string, message?: string): string {
  expectStatus(res, status, "status");
  if (!isErrorBody(res.body)) throw new CheckFailed(`expected a {"error":{code,message}} body, got ${show(res)}`);
  if (res.body.error.code !== code) throw new CheckFailed(`expected error code ${code}, got ${show(res)}`);
  if (message !== undefined && res.body.error.message !== message) throw new CheckFailed(`expected message "${message}", got ${show(res)}`);
  return `${status} ${code} "${res.body.error.message}"`;
}

export function expectThat(condition: boolean, message: string): void {
  if (!condition) throw new CheckFailed(message);
}

export function header(res: ApiResponse, name: string): string {
  const value = res.headers.get(name);
  if (!value) throw new CheckFailed(`missing ${name} header (status ${res.status})`);
  return value;
}

export function objectBody<T extends object>(res: ApiResponse): T {
  if (typeof res.body !== "object" || res.body === null) throw new CheckFailed(`expected a JSON object, got ${show(res)}`);
  return res.body as T;
}
