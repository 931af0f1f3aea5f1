// The environment is checked once at start: a bad one is one clear line and exit 1, not a
// crash-looping task with a stack trace (or, worse, a task that starts with a wrong setting).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, parseServiceConfig } from "../../service/src/config";
import { connectsTo, otherLocalAddresses, reachableOn } from "../helpers/listen-address";
import { TEST_CLIENT_ID, TEST_ISSUER } from "../helpers/tokens";
import { buildBundle, serviceEnv, startService, type BuiltBundle } from "./support";

const valid = { TABLE_NAME: "notes", COGNITO_ISSUER: TEST_ISSUER, COGNITO_CLIENT_ID: TEST_CLIENT_ID, AUTH_MODE: "decode" };

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    parseServiceConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("parseServiceConfig", () => {
  it("fills the defaults: port 8080, 25 s shutdown deadline (below ECS's 30 s stopTimeout)", () => {
    expect(parseServiceConfig(valid)).toMatchObject({ PORT: 8080, AUTH_MODE: "decode", SHUTDOWN_TIMEOUT_MS: 25_000, LOG_LEVEL: "info" });
  });

  it("has no default for AUTH_MODE: trusting the gateway is a choice each deployment states", () => {
    const { AUTH_MODE: _omitted, ...withoutMode } = valid;
    expect(configError(withoutMode).message).toContain("AUTH_MODE is required");
  });

  it("treats an empty value as unset, as a shell's FOO= means", () => {
    expect(configError({ ...valid, TABLE_NAME: "" }).message).toBe("Invalid service environment: TABLE_NAME is required");
  });

  it("names every bad variable and what it needs, never the value it had", () => {
    const err = configError({ ...valid, AUTH_MODE: "s3cr3t-mode", PORT: "99999", COGNITO_ISSUER: "not a url" });
    expect(err.variables).toEqual(["PORT", "COGNITO_ISSUER", "AUTH_MODE"]);
    expect(err.message).toContain("AUTH_MODE must be one of decode, verify");
    expect(err.message).toContain("PORT must be an integer port 0..65535");
    expect(err.message).not.toContain("s3cr3t-mode");
  });

  it("LISTEN_HOST: unset means all interfaces (the container); an IP literal binds that address; a name is refused", () => {
    expect(parseServiceConfig(valid).LISTEN_HOST).toBeUndefined();
    expect(parseServiceConfig({ ...valid, LISTEN_HOST: "127.0.0.1" }).LISTEN_HOST).toBe("127.0.0.1");
    expect(parseServiceConfig({ ...valid, LISTEN_HOST: "::1" }).LISTEN_HOST).toBe("::1");
    expect(configError({ ...valid, LISTEN_HOST: "my-laptop.local" }).message).toBe(
      "Invalid service environment: LISTEN_HOST must be an IP address such as 127.0.0.1 or ::1 (unset: all interfaces)",
    );
  });

  it("accepts http issuers and JWKS URIs (cognito-local) and verify mode", () => {
    const config = parseServiceConfig({
      ...valid,
      COGNITO_ISSUER: "http://localhost:9229/local_pool",
      AUTH_MODE: "verify",
      JWKS_URI: "http://127.0.0.1:9229/local_pool/.well-known/jwks.json",
    });
    expect(config.AUTH_MODE).toBe("verify");
  });

  it("STAGE_NAME: optional; a stage name as API Gateway allows it, never one of the API's own first segments", () => {
    expect(parseServiceConfig(valid).STAGE_NAME).toBeUndefined();
    expect(parseServiceConfig({ ...valid, STAGE_NAME: "prod_v-2" }).STAGE_NAME).toBe("prod_v-2");
    // `notes` would turn /notes/{noteId} into /{noteId}; a slash is no stage name.
    for (const bad of ["notes", "me", "health", "v1/x", "x".repeat(129)]) {
      const err = configError({ ...valid, STAGE_NAME: bad });
      expect(err.variables, bad).toEqual(["STAGE_NAME"]);
      expect(err.message, bad).toContain("STAGE_NAME must be the API Gateway stage name (1..128 letters, digits, '-' or '_'; not health, me, notes)");
    }
  });
});

describe("the bundled process with a bad environment", () => {
  let bundle: BuiltBundle;
  beforeAll(async () => {
    bundle = await buildBundle();
  });
  afterAll(() => bundle?.remove());

  const cases: [string, Record<string, string | undefined>, string][] = [
    ["missing TABLE_NAME", { TABLE_NAME: undefined }, "TABLE_NAME is required"],
    ["bad AUTH_MODE", { AUTH_MODE: "trust-me" }, "AUTH_MODE must be one of decode, verify"],
    ["bad PORT", { PORT: "eighty" }, "PORT must be an integer port 0..65535"],
  ];
  it.each(cases)("%s: prints one line naming the variable and exits 1", async (_name, overrides, expected) => {
    const service = startService(bundle.file, serviceEnv(overrides));
    const { code } = await service.exited;
    expect(code).toBe(1);
    // Exactly one line on stdout+stderr: a fatal JSON log line.
    expect(service.lines).toHaveLength(1);
    const [line] = service.lines;
    expect(line).toMatchObject({ level: "fatal" });
    expect(line?.msg).toContain(expected);
    expect(line?.variables).toEqual([expected.split(" ")[0]]);
  });

  it("listens on all interfaces with LISTEN_HOST unset (the image behind the load balancer), on 127.0.0.1 only with LISTEN_HOST=127.0.0.1 (the local stack)", async () => {
    const everywhere = startService(bundle.file, serviceEnv());
    const loopback = startService(bundle.file, serviceEnv({ LISTEN_HOST: "127.0.0.1" }));
    try {
      const [all, local] = await Promise.all([everywhere, loopback].map((s) => s.waitForLine((l) => l.msg === "ready")));
      expect(all).toMatchObject({ host: "all interfaces" });
      expect(local).toMatchObject({ host: "127.0.0.1" });
      const others = otherLocalAddresses();
      // Not vacuous: the addresses tried do reach a socket on all interfaces.
      expect(await reachableOn(others, all!.port as number)).toEqual(others);
      expect(await connectsTo("127.0.0.1", local!.port as number)).toBe(true);
      expect(await reachableOn(others, local!.port as number)).toEqual([]);
    } finally {
      everywhere.kill();
      loopback.kill();
    }
  });
});

describe("parseServiceConfig: DELETE /me's settings", () => {
  it("takes the pool id from the issuer by default, accepts it when it matches, refuses another pool's", () => {
    expect(parseServiceConfig(valid).COGNITO_USER_POOL_ID).toBe("eu-west-2_TestPool1");
    expect(parseServiceConfig({ ...valid, COGNITO_USER_POOL_ID: "eu-west-2_TestPool1" }).COGNITO_USER_POOL_ID).toBe("eu-west-2_TestPool1");
    const other = configError({ ...valid, COGNITO_USER_POOL_ID: "eu-west-2_OtherPool" });
    expect(other.variables).toEqual(["COGNITO_USER_POOL_ID"]);
    expect(other.message).toContain("COGNITO_USER_POOL_ID must be the user pool id that ends COGNITO_ISSUER");
    expect(other.message).not.toContain("OtherPool");
    // An issuer that names no pool needs the variable.
    expect(configError({ ...valid, COGNITO_ISSUER: "https://issuer.example.com/" }).message).toContain("COGNITO_USER_POOL_ID is required");
    expect(parseServiceConfig({ ...valid, COGNITO_ENDPOINT: "http://127.0.0.1:9229" }).COGNITO_ENDPOINT).toBe("http://127.0.0.1:9229");
  });

  it("defaults to production's write deadline, reaper period and lease; refuses settings under which a failed deletion could wait more than 15 minutes", () => {
    expect(parseServiceConfig(valid)).toMatchObject({ WRITE_DEADLINE_MS: 3_000, REAPER_PERIOD_MS: 300_000, DELETION_LEASE_MS: 60_000 });
    expect(parseServiceConfig({ ...valid, REAPER_PERIOD_MS: "200", DELETION_LEASE_MS: "2000" })).toMatchObject({
      REAPER_PERIOD_MS: 200,
      DELETION_LEASE_MS: 2_000,
    });
    // 10 min + 1.5 × 4 min = 16 min.
    const tooLate = configError({ ...valid, REAPER_PERIOD_MS: "600000", DELETION_LEASE_MS: "240000" });
    expect(tooLate.variables).toEqual(["REAPER_PERIOD_MS"]);
    expect(tooLate.message).toContain("REAPER_PERIOD_MS + 1.5 × DELETION_LEASE_MS at most 900000");
    expect(configError({ ...valid, REAPER_PERIOD_MS: "50" }).variables).toEqual(["REAPER_PERIOD_MS"]);
    expect(configError({ ...valid, DELETION_LEASE_MS: "soon" }).message).toContain("DELETION_LEASE_MS must be an integer number of milliseconds 1000..900000");
    expect(configError({ ...valid, WRITE_DEADLINE_MS: "50" }).message).toContain("WRITE_DEADLINE_MS must be an integer number of milliseconds 100..10000");
  });
});
