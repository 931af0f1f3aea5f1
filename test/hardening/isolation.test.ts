/**
 * An isolation matrix. Several users run random sequences of
 * create/list/get/update/delete through the app on DynamoDB Local — their own notes, other users' notes,
 * deleted and made-up ids — interleaved. Every response is checked against an in-test model
 * (status and content), and at the end every user's listing and the raw table equal the model:
 * zero cross-user reads or writes, nothing lost.
 */
import { randomUUID } from "node:crypto";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Note, NoteList } from "../../contract/notes";
import { authHeaders, jsonHeaders, useTestApp } from "../helpers/app";
import { idToken } from "../helpers/tokens";
import { expectSafe } from "./support";

const USERS = 5;
const OPS_PER_USER = 1_000;
const RUNS = 2;
/**
 * A hang detector, not a speed check (speed lives in bench/). The run is CPU-bound in what it
 * tests — the app, the store's DynamoDB transport and DynamoDB Local; a CPU profile puts the test's own
 * model and checks under a tenth of the run, and no request waits on another needlessly (each
 * user's ops are sequential because the model of each step depends on the previous one; the five
 * users run concurrently). Measured: 62 s alone on this 2-core machine at load 4.4; about 100 s
 * inside the whole suite on a heavily loaded machine, where 120 s was too tight. 300 s is three
 * times the slowest seen.
 */
const TIMEOUT_MS = 300_000;

type Target = "own" | "other" | "gone" | "random";
type IfMatch = "current" | "stale" | "star" | "none";
type Op =
  | { kind: "create"; title: string; body: string }
  | { kind: "list"; limit: number; secondPage: boolean }
  | { kind: "get"; target: Target; pick: number }
  | { kind: "update"; target: Target; pick: number; ifMatch: IfMatch; title: string; body: string }
  | { kind: "delete"; target: Target; pick: number; ifMatch: IfMatch };

const text = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== "");
const target = fc.constantFrom<Target>("own", "own", "own", "other", "other", "gone", "random");
const pick = fc.nat(1_000);
const ifMatch = fc.constantFrom<IfMatch>("current", "current", "stale", "star", "none");
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("create" as const), title: text, body: fc.string({ maxLength: 60 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("list" as const), limit: fc.integer({ min: 1, max: 100 }), secondPage: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("get" as const), target, pick }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("update" as const), target, pick, ifMatch, title: text, body: fc.string({ maxLength: 60 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), target, pick, ifMatch }) },
);

interface User {
  readonly sub: string;
  readonly token: string;
  /** The model: what this user's notes must be. */
  readonly notes: Map<string, Note>;
  /** Ids this user deleted. */
  readonly gone: string[];
}

const t = useTestApp();
let opsRun = 0;

const newestFirst = (notes: Iterable<Note>) => [...notes].sort((a, b) => b.id.localeCompare(a.id));

function choose<T>(items: readonly T[], n: number): T | undefined {
  return items.length === 0 ? undefined : items[n % items.length];
}

/** The note id an op aims at, and whether it is the actor's own live note. */
function resolve(actor: User, users: readonly User[], t: Target, n: number): { id: string; own: Note | undefined } {
  if (t === "own") {
    const note = choose([...actor.notes.values()], n);
    if (note) return { id: note.id, own: note };
  }
  if (t === "other") {
    const others = users.filter((u) => u !== actor && u.notes.size > 0);
    const owner = choose(others, n);
    const id = owner ? choose([...owner.notes.keys()], Math.floor(n / 7)) : undefined;
    if (id) return { id, own: undefined };
  }
  if (t === "gone") {
    const id = choose(actor.gone, n);
    if (id) return { id, own: undefined };
  }
  // A made-up, well-formed id: nobody's note.
  return { id: randomUUID(), own: undefined };
}

function ifMatchHeader(choice: IfMatch, note: Note | undefined, n: number): Record<string, string> {
  const version = note?.version ?? 1 + (n % 3);
  switch (choice) {
    case "current":
      return { "If-Match": `"${version}"` };
    case "stale":
      return { "If-Match": `"${n % 2 === 0 ? version + 1 : Math.max(0, version - 1)}"` };
    case "star":
      return { "If-Match": "*" };
    case "none":
      return {};
  }
}

/** Subs of every user of the current run: each request also claims to be one of them via headers. */
let allSubs: string[] = [];

async function call(method: string, url: string, headers: Record<string, string>, body?: string) {
  // Identity headers a client can set (HTTP_PROXY passes them through): must change nothing.
  const spoof = allSubs[opsRun % Math.max(1, allSubs.length)];
  if (spoof) headers = { ...headers, "x-user-id": spoof, "x-amzn-oidc-identity": spoof };
  const res = await t.app.request(url, { method, headers, body });
  const raw = await expectSafe(res, { url, headers, body }, undefined);
  opsRun++;
  return { res, status: res.status, json: raw === "" ? undefined : (JSON.parse(raw) as unknown) };
}

/** One op by `actor`, checked against the model, which it then updates. */
async function step(actor: User, users: readonly User[], o: Op): Promise<void> {
  const where = () => `${actor.sub.slice(0, 8)} ${JSON.stringify(o)}`;
  switch (o.kind) {
    case "create": {
      const r = await call("POST", "/notes", jsonHeaders(actor.token), JSON.stringify({ title: o.title, body: o.body }));
      expect(r.status, where()).toBe(201);
      const note = r.json as Note;
      expect(note, where()).toMatchObject({ title: o.title, body: o.body, version: 1 });
      expect(r.res.headers.get("etag")).toBe('"1"');
      actor.notes.set(note.id, note);
      return;
    }
    case "list": {
      const all = newestFirst(actor.notes.values());
      const first = await call("GET", `/notes?limit=${o.limit}`, authHeaders(actor.token));
      expect(first.status, where()).toBe(200);
      const page = first.json as NoteList;
      expect(page.items, where()).toEqual(all.slice(0, o.limit));
      expect(page.nextCursor !== null, where()).toBe(all.length > o.limit);
      if (o.secondPage && page.nextCursor) {
        const second = await call("GET", `/notes?limit=${o.limit}&cursor=${page.nextCursor}`, authHeaders(actor.token));
        expect((second.json as NoteList).items, where()).toEqual(all.slice(o.limit, 2 * o.limit));
      }
      return;
    }
    case "get": {
      const { id, own } = resolve(actor, users, o.target, o.pick);
      const r = await call("GET", `/notes/${id}`, authHeaders(actor.token));
      if (own) {
        expect(r.status, where()).toBe(200);
        expect(r.json, where()).toEqual(own);
        expect(r.res.headers.get("etag")).toBe(`"${own.version}"`);
      } else {
        expect(r.status, where()).toBe(404);
      }
      return;
    }
    case "update": {
      const { id, own } = resolve(actor, users, o.target, o.pick);
      const headers = jsonHeaders(actor.token, ifMatchHeader(o.ifMatch, own, o.pick));
      const r = await call("PUT", `/notes/${id}`, headers, JSON.stringify({ title: o.title, body: o.body }));
      if (o.ifMatch === "none") return void expect(r.status, where()).toBe(428);
      if (!own) return void expect(r.status, where()).toBe(404);
      if (o.ifMatch === "stale") return void expect(r.status, where()).toBe(412);
      expect(r.status, where()).toBe(200);
      const note = r.json as Note;
      expect(note, where()).toMatchObject({ id, title: o.title, body: o.body, version: own.version + 1, createdAt: own.createdAt });
      actor.notes.set(id, note);
      return;
    }
    case "delete": {
      const { id, own } = resolve(actor, users, o.target, o.pick);
      const r = await call("DELETE", `/notes/${id}`, authHeaders(actor.token, ifMatchHeader(o.ifMatch, own, o.pick)));
      if (!own) return void expect(r.status, where()).toBe(404);
      if (o.ifMatch === "stale") return void expect(r.status, where()).toBe(412);
      expect(r.status, where()).toBe(204);
      actor.notes.delete(id);
      actor.gone.push(id);
      return;
    }
  }
}

/** Every note of `user`, through the API with cursors. */
async function listAll(user: User): Promise<Note[]> {
  const notes: Note[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/notes?limit=100${cursor ? `&cursor=${cursor}` : ""}`;
    const r = await call("GET", url, authHeaders(user.token));
    expect(r.status).toBe(200);
    const page = r.json as NoteList;
    notes.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return notes;
}

describe("isolation matrix", () => {
  it(
    `${USERS} users × ${OPS_PER_USER} random ops × ${RUNS} runs, interleaved: every response matches the model, no cross-user read or write`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(op, { minLength: OPS_PER_USER, maxLength: OPS_PER_USER }), { minLength: USERS, maxLength: USERS }),
          async (plans) => {
            const users: User[] = plans.map(() => {
              const sub = randomUUID();
              return { sub, token: idToken(sub), notes: new Map(), gone: [] };
            });
            allSubs = users.map((u) => u.sub);
            // Each user's ops in order, the users concurrently: their requests interleave at the store.
            await Promise.all(
              users.map(async (user, i) => {
                for (const o of plans[i] as Op[]) await step(user, users, o);
              }),
            );
            // The API view: each user's full listing is exactly their model.
            for (const user of users) expect(await listAll(user)).toEqual(newestFirst(user.notes.values()));
            // The table view: every item of these users sits in its owner's partition, as the model says.
            const subs = new Set(users.map((u) => u.sub));
            const items = await scanAll();
            const mine = items.filter((i) => subs.has(i.userId as string));
            expect(mine.length).toBe(users.reduce((n, u) => n + u.notes.size, 0));
            for (const item of mine) {
              const owner = users.find((u) => u.sub === item.userId) as User;
              const modelNote = owner.notes.get(item.noteId as string);
              expect(modelNote, `item ${String(item.noteId)} in ${String(item.userId)}'s partition is not in its model`).toBeDefined();
              expect({ title: item.title, body: item.body, version: item.version }).toEqual({
                title: modelNote?.title,
                body: modelNote?.body,
                version: modelNote?.version,
              });
            }
          },
        ),
        { numRuns: RUNS, endOnFailure: true },
      );
      expect(opsRun).toBeGreaterThanOrEqual(USERS * OPS_PER_USER * RUNS);
    },
    TIMEOUT_MS,
  );
});

async function scanAll(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await t.table.doc.send(new ScanCommand({ TableName: t.table.tableName, ExclusiveStartKey: start }));
    items.push(...((out.Items ?? []) as Record<string, unknown>[]));
    start = out.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start);
  return items;
}
