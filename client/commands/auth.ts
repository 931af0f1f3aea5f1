/** signup, confirm, login, logout, token. */
import { authFlowName, confirmSignUp, login, parseSignInFlow, signUp } from "../cognito-auth";
import { tokenTimeIso } from "../jwt";
import { currentSession } from "../session";
import { clearSession, saveSession } from "../token-store";
import { arg, type CommandContext } from "./context";

export async function signupCommand(ctx: CommandContext): Promise<void> {
  const usage = "signup <email> <password>";
  const email = arg(ctx, 0, "email", usage);
  const password = arg(ctx, 1, "password", usage);
  const { userSub, confirmed } = await signUp(ctx.outputs, email, password);
  ctx.print(`signed up ${email} (sub ${userSub})${confirmed ? "" : `; next: confirm ${email}`}`);
}

export async function confirmCommand(ctx: CommandContext): Promise<void> {
  const email = arg(ctx, 0, "email", "confirm <email> [--code <code>]");
  const how = await confirmSignUp(ctx.outputs, email, ctx.flags.code);
  ctx.print(`confirmed ${email}${how === "admin" ? " (AdminConfirmSignUp on cognito-local)" : ""}`);
}

export async function loginCommand(ctx: CommandContext): Promise<void> {
  const usage = "login <email> <password> [--auth srp|password]";
  const email = arg(ctx, 0, "email", usage);
  const password = arg(ctx, 1, "password", usage);
  const flow = parseSignInFlow(ctx.flags.auth);
  const tokens = await login(ctx.outputs, email, password, flow);
  const file = saveSession(ctx.tokensDir, { ...tokens, email, apiUrl: ctx.outputs.apiUrl });
  ctx.print(`logged in as ${email} (${authFlowName(flow)}); id token valid until ${tokenTimeIso(tokens.expiresAt)}; tokens in ${file} (mode 0600)`);
}

export async function logoutCommand(ctx: CommandContext): Promise<void> {
  clearSession(ctx.tokensDir, ctx.outputs.apiUrl);
  ctx.print("logged out (local tokens removed)");
}

/** Print the id token (refreshed if needed), for `curl -H "Authorization: $(npm run -s cli -- token)"`. */
export async function tokenCommand(ctx: CommandContext): Promise<void> {
  const session = await currentSession(ctx.outputs, ctx.tokensDir);
  ctx.print(session.idToken);
}
