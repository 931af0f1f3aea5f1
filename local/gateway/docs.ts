/**
 * The API's documentation, served by the local gateway only — never deployed (infra declares no
 * such route): `GET /openapi.json` is the generated OpenAPI document (contract/openapi) with this
 * gateway first in `servers`, so "Try it out" calls it whatever its port; `GET /docs` is Swagger UI
 * from the `swagger-ui-dist` package in node_modules (no CDN: the page works offline).
 * Both are public, as documentation is: no authorizer, no throttle.
 */
import { createReadStream } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { JsonObject, JsonValue } from "../../contract/openapi/document";

export const OPENAPI_PATH = "/openapi.json";
export const DOCS_PATH = "/docs";

/** Answers a documentation request and returns true, or returns false for anything else. */
export type DocsHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** The files of swagger-ui-dist the page loads; nothing else of the package is served. */
const ASSETS: Readonly<Record<string, string>> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
  "favicon-16x16.png": "image/png",
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>user-aware-api: API docs (local)</title>
  <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_PATH}/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: "${OPENAPI_PATH}",
      dom_id: "#swagger-ui",
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: "StandaloneLayout",
    });
  </script>
</body>
</html>
`;

function swaggerUiDir(): string {
  return dirname(createRequire(__filename).resolve("swagger-ui-dist/package.json"));
}

export function createDocsHandler(document: JsonObject): DocsHandler {
  const servers = Array.isArray(document["servers"]) ? (document["servers"] as JsonValue[]) : [];
  const served = JSON.stringify({ ...document, servers: [{ url: "/", description: "This local gateway" }, ...servers] }, null, 2);
  const assetDir = swaggerUiDir();

  return function docs(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const path = new URL(req.url ?? "/", "http://gateway").pathname;
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { "content-type": type, "content-length": String(Buffer.byteLength(body)), "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (path === OPENAPI_PATH) {
      send(200, "application/json; charset=utf-8", served);
      return true;
    }
    if (path === DOCS_PATH || path === `${DOCS_PATH}/`) {
      send(200, "text/html; charset=utf-8", PAGE);
      return true;
    }
    const asset = path.startsWith(`${DOCS_PATH}/`) ? path.slice(DOCS_PATH.length + 1) : undefined;
    const type = asset === undefined ? undefined : ASSETS[asset];
    if (asset === undefined || type === undefined) return false;
    res.writeHead(200, { "content-type": type, "cache-control": "max-age=3600" });
    if (req.method === "HEAD") {
      res.end();
      return true;
    }
    createReadStream(join(assetDir, asset))
      .on("error", () => res.destroy())
      .pipe(res);
    return true;
  };
}
