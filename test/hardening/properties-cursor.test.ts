/**
 * Cursors: a cursor of any shape — the victim's, forged for the victim's
 * partition, edited, cut, random — is 400 or pages the caller's own notes; never the victim's.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Note, NoteList } from "../../contract/notes";
import { authHeaders, jsonOf } from "../helpers/app";
import { base64urlSegment, hostileJsonValue, hostileString, poisonKeys } from "./arbitraries";
import { ATTACKER, percentEncode, PROPERTY_TIMEOUT_MS, RUNS, token, useHostileHarness, VICTIM } from "./hostile-harness";

const h = useHostileHarness();

// ---------------------------------------------------------------------------------------------
// Cursors

/** The owner digest an attacker can compute for any sub (the algorithm is public). */
const digestOf = (sub: string) => createHash("sha256").update(sub).digest("base64url").slice(0, 16);
const encodeJson = (value: unknown) => Buffer.from(JSON.stringify(value) ?? "", "utf8").toString("base64url");

type CursorCase = { kind: "foreign" | "own" | "other"; cursor: string };

function cursorCases(): fc.Arbitrary<CursorCase> {
  const victimId = (h.victim.notes[2] as Note).id;
  const ownId = (h.own.notes[3] as Note).id;
  const other = (arb: fc.Arbitrary<string>) => arb.map((cursor): CursorCase => ({ kind: "other", cursor }));
  return fc.oneof(
    fc.constant<CursorCase>({ kind: "foreign", cursor: h.victim.cursor }),
    fc.constant<CursorCase>({ kind: "own", cursor: h.own.cursor }),
    // A foreign cursor forged to page the victim's partition: bound to the victim, so refused.
    fc.constantFrom(victimId, ownId).map((k): CursorCase => ({ kind: "foreign", cursor: encodeJson({ k, o: digestOf(VICTIM) }) })),
    other(base64urlSegment),
    other(hostileString),
    // Edited own cursor: a character changed, cut, or extended.
    other(
      fc
        .tuple(fc.nat(h.own.cursor.length - 1), fc.constantFrom("A", "-", "_", "=", ".", "%", "0"))
        .map(([i, ch]) => h.own.cursor.slice(0, i) + ch + h.own.cursor.slice(i + 1)),
    ),
    other(fc.nat(h.own.cursor.length).map((n) => h.own.cursor.slice(0, n))),
    other(fc.constantFrom(`${h.own.cursor}${h.own.cursor}`, `${h.own.cursor}=`, `${h.victim.cursor}${h.own.cursor}`)),
    // Forged JSON: any k and o, poison keys, not an object at all.
    other(
      fc
        .record({
          k: fc.oneof(fc.constantFrom(victimId, ownId, "00000000-0000-7000-8000-000000000000"), hostileJsonValue),
          o: fc.oneof(fc.constantFrom(digestOf(ATTACKER), digestOf(VICTIM)), hostileJsonValue),
          extra: fc.option(fc.tuple(fc.constantFrom(...poisonKeys, "userId"), hostileJsonValue)),
        })
        .map(({ k, o, extra }) => {
          const value: Record<string, unknown> = { k, o };
          if (extra) Object.defineProperty(value, extra[0], { value: extra[1], enumerable: true });
          return encodeJson(value);
        }),
    ),
    other(hostileJsonValue.map(encodeJson)),
  );
}

describe("property: hostile cursors on GET /notes", () => {
  it(
    `${RUNS} cases: a foreign cursor is 400, the owner's pages on exactly, anything else is 400 or the caller's own notes`,
    async () => {
      const expectedNext = [...h.own.notes].sort((a, b) => b.id.localeCompare(a.id)).slice(1, 3);
      await fc.assert(
        fc.asyncProperty(cursorCases(), async ({ kind, cursor }) => {
          const sent = { url: `/notes?limit=2&cursor=${percentEncode(cursor)}`, headers: authHeaders(token) };
          const { res, text } = await h.send(sent, "GET");
          if (kind === "foreign") expect(res.status, text).toBe(400);
          else if (kind === "own") expect((JSON.parse(text) as NoteList).items).toEqual(expectedNext);
          else expect([200, 400]).toContain(res.status);
          if (res.status === 200) {
            const page = JSON.parse(text) as NoteList;
            for (const note of page.items) expect(h.victim.notes.some((v) => v.id === note.id)).toBe(false);
          }
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it("the victim's own cursor still works for the victim (the refusals above are about ownership)", async () => {
    const res = await h.app.request(`/notes?limit=1&cursor=${h.victim.cursor}`, { headers: authHeaders(h.victim.token) });
    expect(res.status).toBe(200);
    expect((await jsonOf<NoteList>(res)).items).toHaveLength(1);
  });
});
