/**
 * Checks a real response against what openapi.json declares for its operation and status: the
 * status is declared (exactly, or by its 4XX/5XX range), the body matches the declared JSON schema
 * (ajv, JSON Schema 2020-12: OpenAPI 3.1's dialect) with `application/json`, or is empty where none
 * is declared, and every declared header is present when required and matches its schema.
 */
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { JsonObject, JsonValue } from "../../contract/openapi/document";

const COMPONENTS_ID = "urn:user-aware-api:components";

export interface ObservedResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

export interface ResponseChecker {
  /** Every way the response disagrees with the document; empty when it conforms. */
  check(operationId: string, res: ObservedResponse): string[];
}

const SCHEMA_REF = "#/components/schemas/";

/** `#/components/schemas/X` → `X` in the `$defs` of the schema registered with ajv as COMPONENTS_ID. */
function rebased(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(rebased);
  if (value === null || typeof value !== "object") return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === "$ref" && typeof v === "string" && v.startsWith(SCHEMA_REF) ? `${COMPONENTS_ID}#/$defs/${v.slice(SCHEMA_REF.length)}` : rebased(v);
  }
  return out;
}

function object(value: JsonValue | undefined, what: string): JsonObject {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`openapi: ${what} is not an object`);
  return value;
}

export function responseChecker(doc: JsonObject): ResponseChecker {
  const components = object(doc["components"], "components");
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  // Header values are strings on the wire; a header's schema (e.g. integer seconds) is checked after coercion.
  const headerAjv = new Ajv2020({ allErrors: true, strict: true, coerceTypes: true });
  addFormats(headerAjv);
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: rebased(components["schemas"] ?? {}) });
  const compiled = new Map<string, ValidateFunction>();
  const compile = (instance: Ajv2020, kind: string, schema: JsonValue): ValidateFunction => {
    // Keyed by the schema itself: the operations share most of their responses.
    const key = `${kind}:${JSON.stringify(schema)}`;
    let fn = compiled.get(key);
    if (!fn) {
      fn = instance.compile(rebased(schema) as JsonObject);
      compiled.set(key, fn);
    }
    return fn;
  };
  const resolve = (value: JsonValue | undefined, what: string): JsonObject => {
    const obj = object(value, what);
    const target = obj["$ref"];
    if (typeof target !== "string") return obj;
    const [, kind, name] = /^#\/components\/([^/]+)\/([^/]+)$/.exec(target) ?? [];
    if (!kind || !name) throw new Error(`openapi: unsupported $ref ${target}`);
    return object(object(components[kind], kind)[name], target);
  };

  const operations = new Map<string, JsonObject>();
  for (const item of Object.values(object(doc["paths"], "paths"))) {
    for (const op of Object.values(object(item, "path item"))) {
      const operation = object(op, "operation");
      operations.set(String(operation["operationId"]), operation);
    }
  }

  return {
    check(operationId, res) {
      const operation = operations.get(operationId);
      if (!operation) return [`no operation ${operationId} in the document`];
      const responses = object(operation["responses"], `${operationId} responses`);
      const key = String(res.status) in responses ? String(res.status) : `${String(res.status)[0]}XX`;
      if (!(key in responses)) return [`${operationId}: status ${res.status} is not declared (declared: ${Object.keys(responses).join(", ")})`];
      const declared = resolve(responses[key], `${operationId} ${key}`);
      const problems: string[] = [];
      const where = `${operationId} ${res.status}`;

      const content = declared["content"] === undefined ? undefined : object(declared["content"], `${where} content`);
      if (content) {
        const media = object(content["application/json"], `${where} application/json`);
        const type = res.headers.get("content-type") ?? "";
        if (!/^application\/json\b/.test(type)) problems.push(`${where}: content-type ${JSON.stringify(type)}, declared application/json`);
        let body: unknown;
        try {
          body = JSON.parse(res.body);
        } catch {
          return [...problems, `${where}: body is not JSON: ${res.body.slice(0, 200)}`];
        }
        const validate = compile(ajv, "body", media["schema"] ?? {});
        if (!validate(body)) {
          for (const e of validate.errors ?? []) problems.push(`${where}: body${e.instancePath} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
        }
      } else if (res.body !== "") {
        problems.push(`${where}: a body where none is declared: ${res.body.slice(0, 200)}`);
      }

      const headers = declared["headers"] === undefined ? {} : object(declared["headers"], `${where} headers`);
      for (const [name, h] of Object.entries(headers)) {
        const header = resolve(h, `${where} header ${name}`);
        const value = res.headers.get(name);
        if (value === null) {
          if (header["required"] === true) problems.push(`${where}: required header ${name} is missing`);
          continue;
        }
        const validate = compile(headerAjv, "header", { type: "object", properties: { value: header["schema"] ?? {} } });
        if (!validate({ value })) problems.push(`${where}: header ${name}: ${JSON.stringify(value)} ${validate.errors?.[0]?.message ?? "invalid"}`);
      }
      return problems;
    },
  };
}
