/**
 * USER_SRP_AUTH for cognito-local, as Cognito answers it: InitiateAuth (SRP_A in; SALT, SRP_B,
 * SECRET_BLOCK, USER_ID_FOR_SRP out) and RespondToAuthChallenge (PASSWORD_VERIFIER: the claim
 * signature over the secret block and TIMESTAMP). Once the proof holds, cognito-local issues its own
 * tokens: the front signs in for the user with the password from cognito-local's state
 * (local-store.ts) through cognito-local's USER_PASSWORD_AUTH, called on cognito-local directly.
 * cognito-local itself does not enforce an app client's ExplicitAuthFlows, so that internal call
 * works whatever the client allows; the front enforces the flows for callers (srp-front.ts).
 *
 * Errors are Cognito's for an app client with PreventUserExistenceErrors=ENABLED (as the deployed
 * one): an unknown user gets a challenge that looks real, and every failed proof — wrong password,
 * wrong signature, unknown, replayed or foreign SECRET_BLOCK, a non-canonical TIMESTAMP — the same
 * NotAuthorizedException "Incorrect username or password.".
 */
import { createHmac, randomBytes } from "node:crypto";
import { callCognitoLocal, type CognitoAnswer, type CognitoLocalStore } from "./local-store";
import { OpenChallenges } from "./srp-challenges";
import { parseClientPublic, passwordClaimSignature, passwordVerifier, serverExchange, signatureMatches, unmatchableVerifier } from "./srp-math";
import { parseTimestamp, TIMESTAMP_FORMAT_MESSAGE } from "./srp-timestamp";

/** How far TIMESTAMP may be from the front's clock. */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;
export const INCORRECT_CREDENTIALS = "Incorrect username or password.";

export function cognitoError(type: string, message: string): CognitoAnswer {
  return { status: 400, body: { __type: type, message } };
}

const notAuthorized = (): CognitoAnswer => cognitoError("NotAuthorizedException", INCORRECT_CREDENTIALS);
const missing = (name: string): CognitoAnswer => cognitoError("InvalidParameterException", `Missing required parameter ${name}`);

/** A flow the app client does not allow: Cognito's answer. */
export function flowNotEnabled(flow: string): CognitoAnswer {
  return cognitoError("InvalidParameterException", `${flow} flow not enabled for this client`);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function params(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export interface SrpAuthDeps {
  readonly store: CognitoLocalStore;
  /** cognito-local's own endpoint (not the front's). */
  readonly upstream: () => string;
  readonly now: () => number;
}

export class SrpAuth {
  private readonly challenges: OpenChallenges;
  /** Salts are per user and stable (as a stored verifier's are), derived so that an unknown user's are too. */
  private readonly saltSecret = randomBytes(32);

  constructor(private readonly deps: SrpAuthDeps) {
    this.challenges = new OpenChallenges(deps.now);
  }

  /** How many challenges wait for an answer (tests: replay and expiry bookkeeping). */
  get openChallenges(): number {
    return this.challenges.size;
  }

  async initiate(request: Record<string, unknown>): Promise<CognitoAnswer> {
    const clientId = text(request["ClientId"]);
    if (!clientId) return missing("ClientId");
    const client = await this.deps.store.appClient(clientId);
    if (!client) return cognitoError("ResourceNotFoundException", `User pool client ${clientId} does not exist.`);
    if (!client.explicitAuthFlows.includes("ALLOW_USER_SRP_AUTH")) return flowNotEnabled("USER_SRP_AUTH");
    const auth = params(request["AuthParameters"]);
    const username = text(auth["USERNAME"]);
    if (!username) return missing("USERNAME");
    if (auth["SRP_A"] === undefined) return missing("SRP_A");
    const A = parseClientPublic(auth["SRP_A"]);
    if (A === undefined) return cognitoError("InvalidParameterException", "SRP_A must be a hexadecimal value that is not 0 mod N");

    const user = await this.deps.store.user(this.deps.upstream(), client.userPoolId, username);
    const poolName = client.userPoolId.split("_")[1] ?? "";
    const userId = user?.username ?? username;
    const salt = createHmac("sha256", this.saltSecret).update(`${client.userPoolId}\0${userId}`).digest().subarray(0, 16).toString("hex");
    const verifier = user ? passwordVerifier(poolName, userId, user.password, salt) : unmatchableVerifier();
    const { B, key } = serverExchange(verifier, A);
    const { secretBlock } = this.challenges.add({ clientId, userPoolId: client.userPoolId, userId, userExists: user !== undefined, key });
    return {
      status: 200,
      body: {
        ChallengeName: "PASSWORD_VERIFIER",
        ChallengeParameters: { SALT: salt, SECRET_BLOCK: secretBlock, SRP_B: B, USERNAME: userId, USER_ID_FOR_SRP: userId },
      },
    };
  }

  async respond(request: Record<string, unknown>): Promise<CognitoAnswer> {
    const clientId = text(request["ClientId"]);
    if (!clientId) return missing("ClientId");
    const answers = params(request["ChallengeResponses"]);
    for (const name of ["USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP"]) {
      if (!text(answers[name])) return missing(name);
    }
    const timestamp = parseTimestamp(answers["TIMESTAMP"]);
    if (!timestamp.ok) return cognitoError("InvalidParameterException", TIMESTAMP_FORMAT_MESSAGE);
    const secretBlock = answers["PASSWORD_CLAIM_SECRET_BLOCK"] as string;
    // Taken out whatever happens next: a second answer to the same challenge finds nothing.
    const challenge = this.challenges.take(secretBlock);
    if (!challenge || challenge.clientId !== clientId || challenge.userId !== answers["USERNAME"]) return notAuthorized();
    const now = this.deps.now();
    if (now > challenge.expiresAt) return cognitoError("NotAuthorizedException", "Invalid session for the user, session is expired.");
    if (!timestamp.canonical || Math.abs(now - timestamp.time) > TIMESTAMP_TOLERANCE_MS) return notAuthorized();

    const poolName = challenge.userPoolId.split("_")[1] ?? "";
    const expected = passwordClaimSignature(challenge.key, poolName, challenge.userId, Buffer.from(secretBlock, "base64"), answers["TIMESTAMP"] as string);
    if (!signatureMatches(expected, answers["PASSWORD_CLAIM_SIGNATURE"] as string) || !challenge.userExists) return notAuthorized();

    // Proven. cognito-local issues the tokens (and answers for an unconfirmed user, a required new password, …).
    const user = await this.deps.store.user(this.deps.upstream(), challenge.userPoolId, challenge.userId);
    if (!user) return notAuthorized();
    const answer = await callCognitoLocal(this.deps.upstream(), "InitiateAuth", {
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
      ClientMetadata: request["ClientMetadata"],
    });
    // The password changed between challenge and answer: the proof was for the old one.
    if (params(answer.body)["__type"] === "InvalidPasswordException") return notAuthorized();
    return answer;
  }
}
