/**
 * The created note's `Location: notes/<id>` (relative) resolves under every form `apiUrl` takes:
 * the execute-api URL with its stage segment, a custom domain mapped at its root, and the
 * local gateway — so the smoke suite and the app follow it the same way everywhere.
 */
import { describe, expect, it } from "vitest";
import { resolveLocation } from "../../client/api";

describe("resolveLocation", () => {
  it.each([
    [
      "execute-api URL with the stage",
      "https://abc123.execute-api.us-east-1.amazonaws.com/prod",
      "https://abc123.execute-api.us-east-1.amazonaws.com/prod/notes/n1",
    ],
    [
      "execute-api URL with a trailing slash",
      "https://abc123.execute-api.us-east-1.amazonaws.com/dev/",
      "https://abc123.execute-api.us-east-1.amazonaws.com/dev/notes/n1",
    ],
    ["custom domain (stage mapped at the root)", "https://api.example.com", "https://api.example.com/notes/n1"],
    ["custom domain with a trailing slash", "https://api.example.com/", "https://api.example.com/notes/n1"],
    ["local gateway", "http://127.0.0.1:3000", "http://127.0.0.1:3000/notes/n1"],
  ])("%s", (_label, apiUrl, expected) => {
    expect(resolveLocation(apiUrl, "/notes", "notes/n1").href).toBe(expected);
  });

  it("an absolute Location is kept as it is", () => {
    expect(resolveLocation("https://api.example.com", "/notes", "https://other.example.com/x").href).toBe("https://other.example.com/x");
  });
});
