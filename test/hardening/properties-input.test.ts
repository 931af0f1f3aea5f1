/**
 * JSON bodies, path params and query strings (cursors: properties-cursor.test.ts): a caller with a valid
 * token sends anything; the service answers < 500 with the contract's JSON error body, never
 * another user's data, and what it accepts it stores exactly.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { noteLimits } from "../../contract/note-limits";
import type { Note, NoteList } from "../../contract/notes";
import { authHeaders, jsonHeaders } from "../helpers/app";
import { hostileJsonValue, hostileString, nearValidNote } from "./arbitraries";
import { percentEncode, PROPERTY_TIMEOUT_MS, RUNS, token, useHostileHarness } from "./hostile-harness";

const h = useHostileHarness();

// ---------------------------------------------------------------------------------------------
// JSON bodies

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant("application/json") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "application/json; charset=utf-8",
      "Application/JSON",
      "application/json;",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonp",
      "application/json, text/plain",
      "",
      undefined,
    ),
  },
);

const bodyText = fc.oneof(
  { weight: 5, arbitrary: nearValidNote.map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: hostileJsonValue.map((v) => JSON.stringify(v) ?? "null") },
  fc.json(),
  fc.string(),
  fc.constantFrom(
    '{"title":"a","title":"b","body":""}',
    '\ufeff{"title":"bom","body":""}',
    '{"title":"t","body":""',
    '{"__proto__":{"title":"t","body":""}}',
    '{"title":"t","body":"","__proto__":{"admin":true}}',
    '{"title":"t","body":"","constructor":{"prototype":{"x":1}}}',
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    `{"title":"t","body":"${"b".repeat(noteLimits.requestBodyMaxBytes)}"}`,
    `${" ".repeat(noteLimits.requestBodyMaxBytes - 20)}{"title":"t","body":""}`,
    "",
  ),
);

/** What the contract says a body deserves: 413 over 16 KiB, 415 unless JSON, 400 unless exactly {title, body} in bounds. */
function expectedForBody(type: string | undefined, text: string): 2 | 400 | 413 | 415 {
  const received = Buffer.from(text, "utf8");
  if (received.length > noteLimits.requestBodyMaxBytes) return 413;
  if ((type ?? "").split(";")[0]?.trim().toLowerCase() !== "application/json") return 415;
  let value: unknown;
  try {
    value = JSON.parse(asDecoded(text));
  } catch {
    return 400;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return 400;
  const keys = Object.keys(value).sort();
  if (keys.join(",") !== "body,title") return 400;
  const { title, body } = value as { title: unknown; body: unknown };
  // Lengths count Unicode code points (an emoji is one character), as zod 4 does.
  const chars = (s: string) => [...s].length;
  if (typeof title !== "string" || chars(title) < noteLimits.titleMin || chars(title) > noteLimits.titleMax) return 400;
  if (title.trim() === "") return 400;
  if (typeof body !== "string" || chars(body) > noteLimits.bodyMax) return 400;
  return 2;
}

/** The text as the service reads it: UTF-8 bytes through TextDecoder (lone surrogates → U+FFFD, a leading BOM dropped). */
function asDecoded(text: string): string {
  return new TextDecoder().decode(Buffer.from(text, "utf8"));
}

describe("property: hostile JSON bodies on POST /notes and PUT /notes/{id}", () => {
  it(
    `${RUNS} cases: the status the contract gives, < 500, and what is accepted reads back exactly`,
    async () => {
      const target = h.own.notes[0] as Note;
      const seen = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(fc.boolean(), contentType, bodyText, async (isPut, type, text) => {
          const headers: Record<string, string> = authHeaders(token, type === undefined ? {} : { "Content-Type": type });
          if (isPut) headers["If-Match"] = "*";
          const sent = { url: isPut ? `/notes/${target.id}` : "/notes", headers, body: text };
          const { res, text: resText } = await h.send(sent, isPut ? "PUT" : "POST");
          seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
          const expected = expectedForBody(type, text);
          if (expected === 2) expect(res.status, resText).toBe(isPut ? 200 : 201);
          else expect(res.status, resText).toBe(expected);
          if (res.ok) {
            // No loss or mangling: what was accepted is what is stored.
            const input = JSON.parse(asDecoded(text)) as { title: string; body: string };
            const note = JSON.parse(resText) as Note;
            expect({ title: note.title, body: note.body }).toEqual({ title: input.title, body: input.body });
            const read = await h.app.request(`/notes/${note.id}`, { headers: authHeaders(token) });
            expect(await read.json()).toEqual(note);
          }
        }),
        { numRuns: RUNS },
      );
      // Not vacuous: both accepted and refused bodies of every kind occurred.
      for (const status of [200, 201, 400, 413, 415]) expect(seen.get(status) ?? 0, JSON.stringify([...seen])).toBeGreaterThan(0);
    },
    PROPERTY_TIMEOUT_MS,
  );
});

// ---------------------------------------------------------------------------------------------
// Path params

/** A path segment template; `{own}` and `{victim}` are replaced by a note id at run time. */
const pathSegment = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "{own}",
    "{victim}",
    "{own}/",
    "{victim}/",
    "{own}%00",
    "{own}/..",
    "../notes/{victim}",
    "..%2F{victim}",
    "%2e%2e/{victim}",
    "{VICTIM}",
    "{victim-encoded}",
    "{own-encoded}",
    " {own}",
    "{own}?x=1",
    "{own}#frag",
    "{own};x",
    "..",
    ".",
    "%",
    "%%",
    "%zz",
    "%2F",
    "%ff%fe",
    "%c0%ae",
    "a/b",
    "/",
    "//",
    "\\",
    "%00",
    "",
  ),
  fc.nat({ max: 100_000 }).map((n) => "a".repeat(n)),
);

function fillIds(template: string): string {
  const ownId = (h.own.notes[1] as Note).id;
  const victimId = (h.victim.notes[0] as Note).id;
  const encodeAll = (s: string) => [...s].map((ch) => `%${ch.charCodeAt(0).toString(16).padStart(2, "0")}`).join("");
  return template
    .replaceAll("{own-encoded}", encodeAll(ownId))
    .replaceAll("{victim-encoded}", encodeAll(victimId))
    .replaceAll("{VICTIM}", victimId.toUpperCase())
    .replaceAll("{own}", ownId)
    .replaceAll("{victim}", victimId);
}

describe("property: hostile path params on /notes/{noteId}", () => {
  it(
    `${RUNS} cases: < 500, JSON errors, a 2xx only for the caller's own note`,
    async () => {
      const body = JSON.stringify({ title: "same", body: "same" });
      await fc.assert(
        fc.asyncProperty(
          fc.array(pathSegment, { minLength: 1, maxLength: 3 }),
          fc.constantFrom("GET", "PUT", "DELETE", "POST", "PATCH", "OPTIONS"),
          async (segments, method) => {
            const url = `/notes/${fillIds(segments.join(""))}`;
            // DELETE must not remove the note later cases aim at: a version that never matches.
            const headers = jsonHeaders(token, { "If-Match": method === "DELETE" ? '"999"' : "*" });
            const sent = { url, headers, body: method === "PUT" || method === "POST" || method === "PATCH" ? body : undefined };
            const { res, text } = await h.send(sent, method);
            if (res.status < 300) {
              expect(["GET", "PUT"]).toContain(method);
              expect((JSON.parse(text) as Note).id).toBe((h.own.notes[1] as Note).id);
            } else {
              expect([400, 404, 412]).toContain(res.status);
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

// ---------------------------------------------------------------------------------------------
// Query strings

const queryKey = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("limit", "cursor") },
  fc.constantFrom("LIMIT", "limit[]", "cursor[]", " limit", "limit ", "userId", "__proto__", "constructor"),
  fc.string({ maxLength: 10 }),
);
const queryValue = fc.oneof(
  fc.integer({ min: -5, max: 200 }).map(String),
  fc.constantFrom("", " 5", "5 ", "0x10", "1e1", "1e400", "Infinity", "NaN", "-0", "1.0", "1.5", "00020", "٣", "5%00", "{victim-cursor}", "{own-cursor}"),
  fc.double().map(String),
  hostileString.filter((s) => s.length < 2000),
);

describe("property: hostile query strings on GET /notes", () => {
  it(
    `${RUNS} cases: 200 with at most 100 of the caller's notes, or a JSON 400`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.array(fc.tuple(queryKey, queryValue, fc.boolean()), { maxLength: 6 }).map((pairs) =>
              pairs
                .map(([k, v, encode]) => {
                  const value = v.replace("{victim-cursor}", h.victim.cursor).replace("{own-cursor}", h.own.cursor);
                  return encode ? `${percentEncode(k)}=${percentEncode(value)}` : `${k}=${value}`;
                })
                .join("&"),
            ),
            fc.string({ maxLength: 200 }),
          ),
          async (query) => {
            const sent = { url: `/notes?${query}`, headers: authHeaders(token) };
            const { res, text } = await h.send(sent, "GET");
            expect([200, 400]).toContain(res.status);
            if (res.status === 200) {
              const page = JSON.parse(text) as NoteList;
              expect(page.items.length).toBeLessThanOrEqual(noteLimits.listMax);
              // Notes the attacker created in the body property count as theirs too; the victim's never.
              for (const note of page.items) expect(h.victim.notes.some((v) => v.id === note.id)).toBe(false);
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
