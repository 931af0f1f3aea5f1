/**
 * The committed openapi.json is what `npm run openapi`
 * generates, it is a valid OpenAPI 3.1 document (@seriousme/openapi-schema-validator, the
 * specification's own JSON schema), and it has exactly one operation per route of the table with
 * the errors the contract says it can answer.
 */
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { errorStatus } from "../../contract/error-codes";
import { errorBody } from "../../contract/errors";
import { buildOpenApiDocument, openApiJson, type JsonObject } from "../../contract/openapi/document";
import { OPENAPI_FILE } from "../../contract/openapi/write";
import { routes } from "../../contract/routes";
import { responseChecker } from "../helpers/openapi-responses";

const doc = buildOpenApiDocument();
const operation = (path: string, method: string) => ((doc["paths"] as JsonObject)[path] as JsonObject)[method.toLowerCase()] as JsonObject;

describe("openapi.json", () => {
  it("the committed file equals the generator's output", () => {
    const committed = readFileSync(OPENAPI_FILE, "utf8");
    // On failure: `npm run openapi` and commit openapi.json.
    expect(committed === openApiJson(), "openapi.json is stale: run `npm run openapi` and commit it").toBe(true);
  });

  it("is a valid OpenAPI 3.1 document whose $refs all resolve", async () => {
    const validator = new Validator();
    // A copy: resolveRefs() replaces the $refs of the document it was given.
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    // resolveRefs throws on a $ref to nothing.
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it("has exactly one operation per route of the table, its id the route id, its path parameters declared", () => {
    const declared = Object.entries(doc["paths"] as JsonObject).flatMap(([path, item]) =>
      Object.entries(item as JsonObject).map(([method, op]) => `${method.toUpperCase()} ${path} ${(op as JsonObject)["operationId"]}`),
    );
    expect(declared.sort()).toEqual(routes.map((r) => `${r.method} ${r.path} ${r.id}`).sort());
    const parameters = (doc["components"] as JsonObject)["parameters"] as JsonObject;
    for (const route of routes) {
      const params = ((operation(route.path, route.method)["parameters"] ?? []) as JsonObject[]).map(
        (p) => parameters[String(p["$ref"]).split("/").pop()!] as JsonObject,
      );
      const inPath = params.filter((p) => p["in"] === "path").map((p) => p["name"]);
      expect(inPath, route.id).toEqual(route.pathParams);
    }
  });

  it("every operation needs the id token and declares 401, the gateway's 403/429/504 and the 5xx it can answer", () => {
    expect(doc["security"]).toEqual([{ idTokenBearer: [] }, { idTokenRaw: [] }]);
    for (const route of routes) {
      const op = operation(route.path, route.method);
      expect(op["security"], `${route.id} must not override the global security`).toBeUndefined();
      expect(Object.keys(op["responses"] as JsonObject), route.id).toEqual(expect.arrayContaining(["401", "403", "429", "500", "503", "504", "4XX", "5XX"]));
    }
  });

  it("each declared error status accepts exactly the contract's codes for it", () => {
    const check = responseChecker(doc);
    const json = new Headers({ "content-type": "application/json" });
    for (const [code, status] of Object.entries(errorStatus) as Array<[keyof typeof errorStatus, number]>) {
      for (const route of routes) {
        const responses = operation(route.path, route.method)["responses"] as JsonObject;
        if (!(String(status) in responses)) continue;
        const body = JSON.stringify(errorBody(code, "x"));
        expect(check.check(route.id, { status, headers: json, body }), `${route.id} ${status} ${code}`).toEqual([]);
        // Any other code under this status is refused.
        const other = code === "internal" ? "not_found" : "internal";
        expect(check.check(route.id, { status, headers: json, body: JSON.stringify(errorBody(other, "x")) }), `${route.id} ${status} ${other}`).not.toEqual([]);
      }
    }
  });
});
