/**
 * The local user-pool endpoint's USER_SRP_AUTH (the SRP front before cognito-local), driven with the
 * raw Cognito API and Amplify JS's own SRP client helper: a correct proof gets cognito-local's
 * tokens; a bad signature, a malformed or stale TIMESTAMP, a replayed or expired challenge and an
 * unknown user are refused as Cognito refuses them; the password flow is refused when the app client
 * does not allow it; every other call passes through unchanged.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodePayload } from "../../client/jwt";
import { bootstrapCognito, type BootstrapResult } from "../../local/cognito/bootstrap";
import { localCognitoClient } from "../../local/cognito/client";
import { callCognitoLocal, type CognitoAnswer } from "../../local/cognito/local-store";
import { startCognitoLocal, type CognitoLocal } from "../../local/cognito/process";
import { startSrpFront, type SrpFront } from "../../local/cognito/srp-front";
import { formatTimestamp, TIMESTAMP_FORMAT_MESSAGE } from "../../local/cognito/srp-timestamp";
import { PORT_SETTINGS } from "../../local/settings";
import { amplifySrpClient } from "../helpers/amplify-srp-client";

const USER = { email: "srp-user@example.com", password: "Srp-passw0rd!x" };

let dir: string;
let front: SrpFront;
let cognito: CognitoLocal;
let ids: BootstrapResult;
/** The front's clock runs this far ahead of the real one (expiry tests). */
let skewMs = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "uaa-srp-front-"));
  front = await startSrpFront({ port: 0, setting: PORT_SETTINGS.cognito, cognitoDir: dir, now: () => Date.now() + skewMs });
  cognito = await startCognitoLocal({ dir, port: 0, setting: PORT_SETTINGS.cognito, logDir: dir, issuerDomain: `http://localhost:${front.port}` });
  front.setUpstream(cognito.endpoint);
  const admin = localCognitoClient(cognito.endpoint);
  // Prod's shape: SRP and refresh only.
  ids = await bootstrapCognito(admin, "srp-front-test", undefined, { passwordAuth: false, demo: USER });
  admin.destroy();
}, 60_000);

afterAll(async () => {
  await cognito?.child.stop();
  await front?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const poolName = (): string => ids.userPoolId.split("_")[1] ?? "";
const call = (operation: string, body: unknown): Promise<CognitoAnswer> => callCognitoLocal(front.endpoint, operation, body);

interface Challenge {
  readonly answer: CognitoAnswer;
  readonly params: Record<string, string>;
  sign(input: { password?: string; timestamp?: string }): Promise<{ signature: string; timestamp: string }>;
}

async function initiate(username: string): Promise<Challenge> {
  const client = await amplifySrpClient(poolName());
  const answer = await call("InitiateAuth", {
    ClientId: ids.userPoolClientId,
    AuthFlow: "USER_SRP_AUTH",
    AuthParameters: { USERNAME: username, SRP_A: client.srpA },
  });
  const params = ((answer.body as { ChallengeParameters?: Record<string, string> }).ChallengeParameters ?? {}) as Record<string, string>;
  return {
    answer,
    params,
    sign: async ({ password = USER.password, timestamp = formatTimestamp(Date.now()) }) => ({
      timestamp,
      signature: await client.sign({
        poolName: poolName(),
        userId: params["USER_ID_FOR_SRP"] ?? "",
        password,
        srpB: params["SRP_B"] ?? "",
        salt: params["SALT"] ?? "",
        secretBlock: params["SECRET_BLOCK"] ?? "",
        timestamp,
      }),
    }),
  };
}

function respond(challenge: Challenge, signed: { signature: string; timestamp: string }, overrides: Record<string, string> = {}): Promise<CognitoAnswer> {
  return call("RespondToAuthChallenge", {
    ClientId: ids.userPoolClientId,
    ChallengeName: "PASSWORD_VERIFIER",
    ChallengeResponses: {
      USERNAME: challenge.params["USER_ID_FOR_SRP"],
      PASSWORD_CLAIM_SECRET_BLOCK: challenge.params["SECRET_BLOCK"],
      PASSWORD_CLAIM_SIGNATURE: signed.signature,
      TIMESTAMP: signed.timestamp,
      ...overrides,
    },
  });
}

const INCORRECT = { status: 400, body: { __type: "NotAuthorizedException", message: "Incorrect username or password." } };

describe("USER_SRP_AUTH on the local user-pool endpoint", () => {
  it("a correct proof gets cognito-local's own tokens for that user; USER_ID_FOR_SRP is its internal username", async () => {
    const challenge = await initiate(USER.email);
    expect(challenge.answer.status).toBe(200);
    expect((challenge.answer.body as { ChallengeName: string }).ChallengeName).toBe("PASSWORD_VERIFIER");
    expect(Object.keys(challenge.params).sort()).toEqual(["SALT", "SECRET_BLOCK", "SRP_B", "USERNAME", "USER_ID_FOR_SRP"]);
    const answer = await respond(challenge, await challenge.sign({}));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const result = (answer.body as { AuthenticationResult: { IdToken: string; AccessToken: string; RefreshToken: string } }).AuthenticationResult;
    const claims = decodePayload(result.IdToken);
    expect(claims.sub).toBe(challenge.params["USER_ID_FOR_SRP"]);
    expect(claims.email).toBe(USER.email);
    expect(claims.iss).toBe(`http://localhost:${front.port}/${ids.userPoolId}`);
    expect(result.RefreshToken).toEqual(expect.any(String));
    expect(front.openChallenges()).toBe(0);
  });

  it("refuses a bad PASSWORD_CLAIM_SIGNATURE: one made with the wrong password, or a correct one altered", async () => {
    const wrong = await initiate(USER.email);
    expect(await respond(wrong, await wrong.sign({ password: "Wrong-passw0rd!" }))).toEqual(INCORRECT);

    const altered = await initiate(USER.email);
    const signed = await altered.sign({});
    const bytes = Buffer.from(signed.signature, "base64");
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    expect(await respond(altered, { ...signed, signature: bytes.toString("base64") })).toEqual(INCORRECT);
  });

  it("refuses a TIMESTAMP in the wrong format with Cognito's InvalidParameterException", async () => {
    const challenge = await initiate(USER.email);
    const signed = await challenge.sign({});
    for (const timestamp of [new Date().toISOString(), "Sun Dec 6 02:11:00 +05:30 2026", "Sun Foo 6 02:11:00 UTC 2026", "Sun Feb 31 02:11:00 UTC 2026", ""]) {
      const answer = await respond(challenge, { ...signed, timestamp });
      expect(answer, timestamp).toEqual({
        status: 400,
        body: { __type: "InvalidParameterException", message: timestamp ? TIMESTAMP_FORMAT_MESSAGE : "Missing required parameter TIMESTAMP" },
      });
    }
    // A malformed TIMESTAMP does not use up the challenge: the well-formed answer still works.
    expect((await respond(challenge, signed)).status).toBe(200);
  });

  it("refuses a TIMESTAMP that parses but is not the canonical form the client must sign (zero-padded day, wrong weekday)", async () => {
    const now = new Date();
    const canonical = formatTimestamp(now.getTime());
    const padded = canonical.replace(/^(\w{3} \w{3}) (\d) /, "$1 0$2 ");
    const wrongWeekday = canonical.replace(/^\w{3}/, canonical.startsWith("Mon") ? "Tue" : "Mon");
    for (const timestamp of [padded === canonical ? wrongWeekday : padded, wrongWeekday]) {
      const challenge = await initiate(USER.email);
      // Signed by the client over exactly that string: still refused.
      expect(await respond(challenge, await challenge.sign({ timestamp })), timestamp).toEqual(INCORRECT);
    }
  });

  it("refuses a stale TIMESTAMP (correctly signed, ten minutes old)", async () => {
    const challenge = await initiate(USER.email);
    expect(await respond(challenge, await challenge.sign({ timestamp: formatTimestamp(Date.now() - 10 * 60_000) }))).toEqual(INCORRECT);
  });

  it("refuses a replayed challenge: a successful answer sent again, and a correct answer after a wrong one", async () => {
    const challenge = await initiate(USER.email);
    const signed = await challenge.sign({});
    expect((await respond(challenge, signed)).status).toBe(200);
    expect(await respond(challenge, signed)).toEqual(INCORRECT);

    const second = await initiate(USER.email);
    expect(await respond(second, await second.sign({ password: "Wrong-passw0rd!" }))).toEqual(INCORRECT);
    expect(await respond(second, await second.sign({}))).toEqual(INCORRECT);
  });

  it("refuses an answer after the challenge expired (3 minutes), and an answer for another user's challenge", async () => {
    const challenge = await initiate(USER.email);
    const signed = await challenge.sign({});
    skewMs = 3 * 60_000 + 1_000;
    try {
      expect(await respond(challenge, signed)).toEqual({
        status: 400,
        body: { __type: "NotAuthorizedException", message: "Invalid session for the user, session is expired." },
      });
    } finally {
      skewMs = 0;
    }
    const other = await initiate(USER.email);
    expect(await respond(other, await other.sign({}), { USERNAME: "someone-else" })).toEqual(INCORRECT);
  });

  it("an unknown user gets a challenge shaped like a real one, then the same NotAuthorizedException as a wrong password", async () => {
    const challenge = await initiate("nobody@example.com");
    expect(challenge.answer.status).toBe(200);
    expect(Object.keys(challenge.params).sort()).toEqual(["SALT", "SECRET_BLOCK", "SRP_B", "USERNAME", "USER_ID_FOR_SRP"]);
    expect(challenge.params["SRP_B"]).toMatch(/^[0-9a-f]+$/);
    expect(await respond(challenge, await challenge.sign({}))).toEqual(INCORRECT);
  });

  it("a correct proof for an unconfirmed user gets cognito-local's UserNotConfirmedException", async () => {
    const email = "unconfirmed@example.com";
    const signUp = await call("SignUp", {
      ClientId: ids.userPoolClientId,
      Username: email,
      Password: USER.password,
      UserAttributes: [{ Name: "email", Value: email }],
    });
    expect(signUp.status).toBe(200);
    const challenge = await initiate(email);
    const answer = await respond(challenge, await challenge.sign({}));
    expect(answer).toEqual({ status: 400, body: { __type: "UserNotConfirmedException", message: "User is not confirmed." } });
  });

  it("refuses a malformed SRP_A and an unknown app client", async () => {
    const bad = await call("InitiateAuth", {
      ClientId: ids.userPoolClientId,
      AuthFlow: "USER_SRP_AUTH",
      AuthParameters: { USERNAME: USER.email, SRP_A: "not-hex" },
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { __type: string }).__type).toBe("InvalidParameterException");
    const noClient = await call("InitiateAuth", {
      ClientId: "nosuchclient",
      AuthFlow: "USER_SRP_AUTH",
      AuthParameters: { USERNAME: USER.email, SRP_A: "abc" },
    });
    expect(noClient).toEqual({ status: 400, body: { __type: "ResourceNotFoundException", message: "User pool client nosuchclient does not exist." } });
  });
});

describe("the password flow and everything else on the local user-pool endpoint", () => {
  const passwordAuth = () =>
    call("InitiateAuth", { ClientId: ids.userPoolClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: USER.email, PASSWORD: USER.password } });

  it("USER_PASSWORD_AUTH is refused as Cognito refuses it while the app client does not allow it; once it does, it works, and a wrong password or unknown user is NotAuthorizedException", async () => {
    expect(await passwordAuth()).toEqual({
      status: 400,
      body: { __type: "InvalidParameterException", message: "USER_PASSWORD_AUTH flow not enabled for this client" },
    });
    const admin = localCognitoClient(cognito.endpoint);
    try {
      await bootstrapCognito(admin, "srp-front-test", ids, { passwordAuth: true, demo: USER });
      const answer = await passwordAuth();
      expect(answer.status).toBe(200);
      // A wrong password and an unknown user: Cognito's answer with user-existence errors prevented, as for SRP.
      for (const [username, password] of [
        [USER.email, "Wrong-passw0rd!"],
        ["nobody@example.com", USER.password],
      ]) {
        const refused = await call("InitiateAuth", {
          ClientId: ids.userPoolClientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: username, PASSWORD: password },
        });
        expect(refused).toEqual(INCORRECT);
      }
      await bootstrapCognito(admin, "srp-front-test", ids, { passwordAuth: false, demo: USER });
      expect((await passwordAuth()).status).toBe(400);
    } finally {
      admin.destroy();
    }
  });

  it("other calls pass through unchanged: the same answers as cognito-local's own, JWKS included", async () => {
    const describeClient = { UserPoolId: ids.userPoolId, ClientId: ids.userPoolClientId };
    const viaFront = await call("DescribeUserPoolClient", describeClient);
    expect(viaFront).toEqual(await callCognitoLocal(cognito.endpoint, "DescribeUserPoolClient", describeClient));
    expect((viaFront.body as { UserPoolClient: { ExplicitAuthFlows: string[] } }).UserPoolClient.ExplicitAuthFlows.sort()).toEqual([
      "ALLOW_REFRESH_TOKEN_AUTH",
      "ALLOW_USER_SRP_AUTH",
    ]);
    const jwksPath = `/${ids.userPoolId}/.well-known/jwks.json`;
    const [a, b] = await Promise.all([fetch(front.endpoint + jwksPath), fetch(cognito.endpoint + jwksPath)]);
    expect(a.status).toBe(200);
    expect(await a.json()).toEqual(await b.json());
    // A Cognito error from cognito-local comes back as it was.
    const missing = await call("AdminGetUser", { UserPoolId: ids.userPoolId, Username: "nobody@example.com" });
    expect(missing).toEqual(await callCognitoLocal(cognito.endpoint, "AdminGetUser", { UserPoolId: ids.userPoolId, Username: "nobody@example.com" }));
    expect(missing.status).toBe(400);
  });

  it("a body over 1 MiB gets a clear 413, and a caller gone mid-body leaves the endpoint answering", async () => {
    const big = await fetch(front.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.InitiateAuth" },
      body: JSON.stringify({ pad: "x".repeat(1024 * 1024 + 1) }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { __type: string }).__type).toBe("InvalidParameterException");

    const socket = connect(front.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nx-amz-target: AWSCognitoIdentityProviderService.InitiateAuth\r\ncontent-length: 1000\r\n\r\n{"ClientId":');
    socket.destroy();
    const after = await call("DescribeUserPoolClient", { UserPoolId: ids.userPoolId, ClientId: ids.userPoolClientId });
    expect(after.status).toBe(200);
  });

  it("refresh (REFRESH_TOKEN_AUTH) passes through and works for tokens from an SRP sign-in", async () => {
    const challenge = await initiate(USER.email);
    const answer = await respond(challenge, await challenge.sign({}));
    const refreshToken = (answer.body as { AuthenticationResult: { RefreshToken: string } }).AuthenticationResult.RefreshToken;
    const refreshed = await call("InitiateAuth", {
      ClientId: ids.userPoolClientId,
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect(decodePayload((refreshed.body as { AuthenticationResult: { IdToken: string } }).AuthenticationResult.IdToken).email).toBe(USER.email);
  });
});
