import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSession, saveSession, tokenFile } from "../../client/token-store";

const dir = mkdtempSync(join(tmpdir(), "uaa-tokens-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const session = { email: "a@example.com", apiUrl: "https://api.example.com/dev", idToken: "i", accessToken: "a", refreshToken: "r", expiresAt: 0 };

describe("token store", () => {
  it("replaces a world-readable token file with a 0600 one and leaves no temp file", () => {
    const file = tokenFile(dir, session.apiUrl);
    writeFileSync(file, "{}");
    chmodSync(file, 0o644);
    saveSession(dir, session);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSession(dir, session.apiUrl)).toMatchObject({ idToken: "i", refreshToken: "r" });
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});
