/**
 * The OpenAPI 3.1 document of the API, generated from the route table (contract/routes.ts), the
 * route docs (route-docs.ts), the zod schemas (contract/schemas.ts, through zod's
 * `z.toJSONSchema`, JSON Schema 2020-12 = OpenAPI 3.1's dialect) and the contract's error codes.
 * `npm run openapi` writes it to openapi.json; a test keeps the committed file equal to this.
 *
 * Security: both forms API Gateway's Cognito authorizer and the service accept are declared, as
 * alternatives on the same `Authorization` header — `http` `bearer` (`Bearer <id token>`, what
 * generated clients and Swagger UI's "Authorize" send) and an `apiKey`-style header carrying the
 * raw id token (what the seed and the Amplify/mobile SDK snippets send).
 */
import * as z from "zod";
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_MAX_LENGTH } from "../idempotency-key";
import { noteLimits } from "../note-limits";
import { routes, type Route } from "../routes";
import {
  accountDeletionPendingSchema,
  accountExportSchema,
  errorBodySchema,
  listQuerySchema,
  meSchema,
  noteInputSchema,
  noteListSchema,
  noteSchema,
} from "../schemas";
import { errorCodesFor, errorResponseSpecs, type ErrorResponseName } from "./error-responses";
import { routeDocs, type ResponseHeaderName, type RouteDoc, type SchemaName } from "./route-docs";

export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** Errors every route can answer: the authorizer, the gateway's limits and failures, the service's 500/503. */
const commonErrors: readonly ErrorResponseName[] = [
  "Unauthorized",
  "Forbidden",
  "Throttled",
  "Internal",
  "Unavailable",
  "GatewayTimeout",
  "OtherClientError",
  "OtherServerError",
];

const bodySchemas: Readonly<Record<SchemaName, z.ZodType>> = {
  NoteInput: noteInputSchema,
  Note: noteSchema,
  NoteList: noteListSchema,
  Me: meSchema,
  ErrorBody: errorBodySchema,
  AccountExport: accountExportSchema,
  AccountDeletionPending: accountDeletionPendingSchema,
};

const ref = (kind: "schemas" | "responses" | "parameters" | "headers", name: string): JsonObject => ({ $ref: `#/components/${kind}/${name}` });

/** A JSON Schema from zod, without the `$schema`/`$id` a standalone schema carries. */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonObject {
  const { $schema: _s, $id: _i, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io }) as JsonObject;
  return rest;
}

function componentSchemas(): JsonObject {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(bodySchemas)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { target: "draft-2020-12", io: "output", uri: (id) => `#/components/schemas/${id}` });
  const out: JsonObject = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as JsonObject;
    out[id] = rest;
  }
  return out;
}

function componentResponses(): JsonObject {
  const out: JsonObject = {};
  for (const [name, spec] of Object.entries(errorResponseSpecs)) {
    const codes = errorCodesFor(spec.status);
    const schema: JsonObject = {
      allOf: [ref("schemas", "ErrorBody"), { type: "object", properties: { error: { type: "object", properties: { code: { enum: codes } } } } }],
    };
    out[name] = {
      description: `${spec.description} Code: ${codes.join(" or ")}.`,
      ...(spec.retryAfter ? { headers: { "Retry-After": ref("headers", "RetryAfter") } } : {}),
      content: { "application/json": { schema } },
    };
  }
  return out;
}

const headerComponents: JsonObject = {
  ETag: {
    description: 'The note\'s version as a strong ETag (`"3"`); send it back as `If-Match`.',
    required: true,
    schema: { type: "string", pattern: '^"[0-9]+"$' },
  },
  Location: {
    description: "`notes/<id>`: a reference relative to the API base URL (which includes the stage), not to the host.",
    required: true,
    schema: { type: "string", pattern: "^notes/[0-9a-f-]{36}$" },
  },
  RetryAfter: { description: "Seconds to wait before retrying (sent by the service).", schema: { type: "integer", minimum: 1 } },
  ContentDisposition: {
    description: '`attachment; filename="user-aware-api-export-<time>.json"`: save the body as a file.',
    required: true,
    schema: { type: "string", pattern: '^attachment; filename="[^"]+\\.json"$' },
  },
};

/** Header name on the wire → its component. */
const headerComponent: Readonly<Record<ResponseHeaderName, string>> = {
  ETag: "ETag",
  Location: "Location",
  "Retry-After": "RetryAfter",
  "Content-Disposition": "ContentDisposition",
};

function responseHeaders(names: readonly ResponseHeaderName[]): JsonObject {
  return Object.fromEntries(names.map((h) => [h, ref("headers", headerComponent[h])]));
}

function componentParameters(): JsonObject {
  const query = listQuerySchema.shape;
  return {
    noteId: {
      name: "noteId",
      in: "path",
      required: true,
      description: "The note's id (a malformed one is 404, like a missing one).",
      schema: { type: "string" },
    },
    limit: { name: "limit", in: "query", required: false, description: query.limit.description ?? "", schema: jsonSchema(query.limit, "input") },
    cursor: { name: "cursor", in: "query", required: false, description: query.cursor.description ?? "", schema: jsonSchema(query.cursor, "input") },
    IfMatchRequired: {
      name: "If-Match",
      in: "header",
      required: true,
      description: 'The ETag of the version you read (`"3"`), or `*`. Without it: 428; stale: 412.',
      schema: { type: "string" },
    },
    IfMatchOptional: {
      name: "If-Match",
      in: "header",
      required: false,
      description: "Only if the note is still at this ETag; stale: 412.",
      schema: { type: "string" },
    },
    IdempotencyKey: {
      name: IDEMPOTENCY_KEY_HEADER,
      in: "header",
      required: false,
      description:
        `IETF httpapi draft "The Idempotency-Key HTTP Header Field": a key the client makes per new note (e.g. a UUID) and reuses on every retry of it, ` +
        `as a quoted string (\`"8e03978e-40d5-43e8-bc93-6894a57f9324"\`) or bare. 1..${IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters; ` +
        "a malformed key is 400. Remembered for 24 h per user.",
      schema: { type: "string", minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX_LENGTH + 2 },
    },
  };
}

function operation(route: Route, doc: RouteDoc): JsonObject {
  const parameters: JsonObject[] = route.pathParams.map((name) => {
    if (name !== "noteId") throw new Error(`openapi: path parameter {${name}} of ${route.id} has no documentation in document.ts`);
    return ref("parameters", name);
  });
  if (doc.listQuery) parameters.push(ref("parameters", "limit"), ref("parameters", "cursor"));
  if (doc.idempotencyKey) parameters.push(ref("parameters", "IdempotencyKey"));
  if (doc.ifMatch) parameters.push(ref("parameters", doc.ifMatch === "required" ? "IfMatchRequired" : "IfMatchOptional"));

  const success: JsonObject = { description: doc.success.description };
  if (doc.success.headers) success["headers"] = responseHeaders(doc.success.headers);
  if (doc.success.body) success["content"] = { "application/json": { schema: ref("schemas", doc.success.body) } };

  const responses: JsonObject = { [String(doc.success.status)]: success };
  if (doc.pending) {
    responses[String(doc.pending.status)] = {
      description: doc.pending.description,
      headers: responseHeaders(doc.pending.headers),
      content: { "application/json": { schema: ref("schemas", doc.pending.body) } },
    };
  }
  const errors = [...doc.errors, ...commonErrors].map((name) => [String(errorResponseSpecs[name].status), name] as const);
  for (const [status, name] of errors.sort(([a], [b]) => a.localeCompare(b))) {
    if (status in responses) throw new Error(`openapi: ${route.id} declares status ${status} twice`);
    responses[status] = ref("responses", name);
  }

  return {
    operationId: route.id,
    tags: [doc.tag],
    summary: doc.summary,
    description: doc.description,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(doc.requestBody ? { requestBody: { required: true, content: { "application/json": { schema: ref("schemas", doc.requestBody) } } } } : {}),
    responses,
  };
}

export function buildOpenApiDocument(): JsonObject {
  const paths: JsonObject = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    const item = paths[route.path] as JsonObject;
    item[route.method.toLowerCase()] = operation(route, routeDocs[route.id]);
  }
  return {
    openapi: "3.1.1",
    info: {
      title: "user-aware-api",
      version: "1.0.0",
      description:
        "A restricted, user-aware REST API: every route needs a Cognito id token in `Authorization` and serves only the caller's own data. " +
        `Errors are always \`{"error":{"code","message"}}\` (application/json). Request bodies: JSON, at most ${noteLimits.requestBodyMaxBytes} bytes.`,
    },
    servers: [
      {
        url: "https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}",
        description: "A deployed stack (its `apiUrl` output)",
        variables: { restApiId: { default: "abcdef1234" }, region: { default: "us-east-1" }, stage: { default: "dev" } },
      },
      {
        url: "https://{domainName}",
        description: "A deployed stack with a custom domain, the stage at its root (its `apiUrl` output)",
        variables: { domainName: { default: "api.example.com" } },
      },
      { url: "http://localhost:3000", description: "The local stack (`npm run dev`)" },
    ],
    tags: [
      { name: "me", description: "The caller, and their account: export and deletion" },
      { name: "notes", description: "The caller's notes" },
    ],
    security: [{ idTokenBearer: [] }, { idTokenRaw: [] }],
    paths,
    components: {
      schemas: componentSchemas(),
      responses: componentResponses(),
      parameters: componentParameters(),
      headers: headerComponents,
      securitySchemes: {
        idTokenBearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "`Authorization: Bearer <id token>`: the Cognito id token (not the access token) of the signed-in user.",
        },
        idTokenRaw: {
          type: "apiKey",
          in: "header",
          name: "Authorization",
          description: "`Authorization: <id token>`: the same id token without the `Bearer` prefix, as the mobile SDKs send it.",
        },
      },
    },
  };
}

/** openapi.json as `npm run openapi` writes it. */
export function openApiJson(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}
