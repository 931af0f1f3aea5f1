/**
 * Invariants every response must hold, whatever was sent, and a victim user whose data no other
 * caller may ever see. Shared by the property tests of test/hardening.
 */
import { errorStatus } from "../../contract/error-codes";
import { isErrorBody } from "../../contract/errors";
import type { Note, NoteList } from "../../contract/notes";
import type { TestApp } from "../helpers/app";
import { authHeaders, jsonHeaders, jsonOf } from "../helpers/app";
import { idToken } from "../helpers/tokens";

export interface Victim {
  readonly sub: string;
  readonly token: string;
  readonly notes: readonly Note[];
  /** A valid nextCursor from the victim's own listing. */
  readonly cursor: string;
  /** Strings only the victim's data contains: ids, titles, bodies. */
  readonly markers: readonly string[];
}

/** Creates `count` notes for `sub` with unique titles/bodies and returns them with a valid cursor. */
export async function seedVictim(app: TestApp, sub: string, count = 5): Promise<Victim> {
  const token = idToken(sub);
  const notes: Note[] = [];
  for (let i = 0; i < count; i++) {
    const tag = `${sub.slice(0, 8)}-${i}-${Math.random().toString(36).slice(2, 10)}`;
    const res = await app.request("/notes", {
      method: "POST",
      headers: jsonHeaders(token),
      body: JSON.stringify({ title: `VICTIM-TITLE-${tag}`, body: `VICTIM-BODY-${tag}` }),
    });
    if (res.status !== 201) throw new Error(`seeding the victim failed: ${res.status}`);
    notes.push(await jsonOf<Note>(res));
  }
  const page = await jsonOf<NoteList>(await app.request("/notes?limit=1", { headers: authHeaders(token) }));
  if (!page.nextCursor) throw new Error("victim has no second page");
  return {
    sub,
    token,
    notes,
    cursor: page.nextCursor,
    markers: notes.flatMap((n) => [n.id, n.title, n.body]),
  };
}

/** The victim's notes are exactly as seeded: nothing another caller did changed or deleted them. */
export async function expectVictimIntact(app: TestApp, victim: Victim): Promise<void> {
  const list = await jsonOf<NoteList>(await app.request("/notes?limit=100", { headers: authHeaders(victim.token) }));
  const byId = (a: Note, b: Note) => a.id.localeCompare(b.id);
  const got = [...list.items].sort(byId);
  const want = [...victim.notes].sort(byId);
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(`victim's notes changed:\n${JSON.stringify(got)}\n!=\n${JSON.stringify(want)}`);
  }
}

export interface SentRequest {
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/**
 * Checks the response invariants and returns its body text:
 * - never a 5xx;
 * - every error is `application/json` with the contract's error body, whose code matches the status;
 * - no victim marker the request did not itself contain (an echo of the caller's own input is no leak);
 * - no Authorization value (a token) echoed back.
 */
export async function expectSafe(res: Response, sent: SentRequest, victim: Victim | undefined): Promise<string> {
  const text = await res.text();
  const describe = () => `${res.status} ${text.slice(0, 300)} for ${sent.url.slice(0, 200)}`;
  if (res.status >= 500) throw new Error(`5xx: ${describe()}`);
  if (res.status >= 400) {
    const type = res.headers.get("content-type") ?? "";
    if (!type.startsWith("application/json")) throw new Error(`error without JSON content-type (${type}): ${describe()}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`error body is not JSON: ${describe()}`);
    }
    if (!isErrorBody(parsed)) throw new Error(`error body is not the contract's: ${describe()}`);
    if (errorStatus[parsed.error.code] !== res.status) throw new Error(`code ${parsed.error.code} with status ${describe()}`);
  }
  if (victim) {
    const sentText = `${sent.url}\n${JSON.stringify(sent.headers ?? {})}\n${sent.body ?? ""}`;
    for (const marker of victim.markers) {
      if (text.includes(marker) && !sentText.includes(marker) && !safeDecode(sentText).includes(marker)) {
        throw new Error(`victim data ${marker} leaked: ${describe()}`);
      }
    }
  }
  const auth = sent.headers?.Authorization ?? sent.headers?.authorization;
  if (auth && auth.trim().length >= 20 && text.includes(auth.trim())) throw new Error(`token echoed: ${describe()}`);
  return text;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
