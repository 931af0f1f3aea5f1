/**
 * The account lifecycle (docs/architecture.md#account-lifecycle), each check on a fresh user of its own, never A or B: GET
 * /me/export returns every note as an attachment; DELETE /me removes the account for good. Where
 * the suite cannot create users (a deployed pool that confirms sign-ups by email), they report SKIP.
 */
import type { AccountExport } from "../../contract/account";
import type { Note, NoteList } from "../../contract/notes";
import { deleteAccount, exportAccount } from "../account";
import { AuthError, login } from "../cognito-auth";
import type { Check, CheckPass, SmokeContext } from "./context";
import { expectError, expectStatus, expectThat, objectBody } from "./expect";
import { deleteFreshUser, prepareUser, UnconfirmableUserError, type SmokeUser } from "./users";

/** Runs `fn` with a fresh user, removed afterwards whatever happened (a deleted one already is). */
async function withFreshUser(ctx: SmokeContext, label: string, fn: (user: SmokeUser) => Promise<CheckPass | string>): Promise<CheckPass | string> {
  let user: SmokeUser;
  try {
    user = await prepareUser(ctx.outputs, label, undefined);
  } catch (err) {
    if (!(err instanceof UnconfirmableUserError)) throw err;
    return { detail: "not run: this stack's sign-ups need the emailed code, so the suite cannot create the fresh user this check needs", skipped: true };
  }
  try {
    return await fn(user);
  } finally {
    await deleteFreshUser(ctx.outputs, user).catch(() => undefined);
  }
}

async function createNotes(ctx: SmokeContext, user: SmokeUser, count: number): Promise<Note[]> {
  const notes: Note[] = [];
  for (let i = 0; i < count; i++) {
    const res = await ctx.request("POST", "/notes", { authorization: user.tokens.idToken, json: { title: `export ${i}`, body: `"quoted" ✓ ${i}` } });
    expectStatus(res, 201, "POST /notes");
    notes.push(objectBody<Note>(res));
  }
  return notes;
}

const exportCheck: Check = {
  name: "GET /me/export: a fresh user's profile and every note, as a JSON attachment",
  run: (ctx) =>
    withFreshUser(ctx, "export", async (user) => {
      const created = await createNotes(ctx, user, 3);
      try {
        const res = await exportAccount(ctx.outputs.apiUrl, user.tokens.idToken);
        const disposition = res.headers.get("content-disposition") ?? "";
        expectThat(/^attachment; filename="[^"]+\.json"$/.test(disposition), `Content-Disposition: ${disposition || "(none)"}`);
        expectThat((res.headers.get("content-type") ?? "").startsWith("application/json"), `Content-Type: ${res.headers.get("content-type")}`);
        const text = await res.text();
        const document = JSON.parse(text) as AccountExport;
        expectThat(document.profile.sub === user.sub, `profile.sub ${document.profile.sub}, expected ${user.sub}`);
        // Newest first, as GET /notes lists them, and exactly what was written.
        expectThat(JSON.stringify(document.notes) === JSON.stringify([...created].reverse()), `notes ${JSON.stringify(document.notes).slice(0, 200)}`);
        return `${document.notes.length} notes, ${Buffer.byteLength(text)} bytes, ${disposition}`;
      } finally {
        for (const note of created) await ctx.request("DELETE", `/notes/${note.id}`, { authorization: user.tokens.idToken });
      }
    }),
};

const deletionCheck: Check = {
  name: "DELETE /me: 204; the same id token then lists nothing and cannot create (401); the password no longer signs in; DELETE /me again 204",
  run: (ctx) =>
    withFreshUser(ctx, "delete", async (user) => {
      const auth = user.tokens.idToken;
      await createNotes(ctx, user, 2);
      const started = Date.now();
      await deleteAccount(ctx.outputs.apiUrl, auth);
      const ms = Date.now() - started;

      // The id token is still valid (it cannot be revoked at the gateway) but owns nothing and can create nothing.
      const list = await ctx.request("GET", "/notes", { authorization: auth });
      expectStatus(list, 200, "GET /notes with the deleted account's token");
      expectThat(objectBody<NoteList>(list).items.length === 0, `notes left: ${JSON.stringify(list.body).slice(0, 200)}`);
      expectError(await ctx.request("POST", "/notes", { authorization: auth, json: { title: "after deletion", body: "" } }), 401, "unauthorized");

      const signIn = await login(ctx.outputs, user.email, user.password).then(
        () => "signed in",
        (err: unknown) => (err instanceof AuthError && /NotAuthorized|UserNotFound/.test(err.message) ? "refused" : `failed: ${String(err)}`),
      );
      expectThat(signIn === "refused", `signing in with the deleted user's password: ${signIn}`);

      const again = await ctx.request("DELETE", "/me", { authorization: auth });
      expectStatus(again, 204, "DELETE /me after the account is gone");
      return `204 in ${ms} ms → list empty → POST 401 → sign-in refused → DELETE /me 204`;
    }),
};

export const accountChecks: readonly Check[] = [exportCheck, deletionCheck];
