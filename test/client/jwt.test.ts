/** Token times as the CLI and the `npm run dev` banner print them: ISO 8601 UTC, never a RangeError. */
import { describe, expect, it } from "vitest";
import { tokenTimeIso } from "../../client/jwt";

describe("tokenTimeIso", () => {
  it("prints seconds since the epoch as ISO 8601 UTC", () => {
    expect(tokenTimeIso(1_795_918_674)).toBe("2026-11-29T02:17:54.000Z");
  });

  it("names a time no Date can hold instead of throwing (exp 2^53−1)", () => {
    expect(tokenTimeIso(Number.MAX_SAFE_INTEGER)).toBe("an invalid time (9007199254740991)");
    expect(tokenTimeIso(Number.NaN)).toBe("an invalid time (NaN)");
  });
});
