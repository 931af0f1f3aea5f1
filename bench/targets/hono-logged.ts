/**
 * Reference 2b: bare Hono plus what the runtime asks of every request (docs/runtime.md#request-logs) — a request id echoed in the
 * response and one pino JSON line (the service's own logger). The gap between this and the
 * service is what auth, routing and the /me body cost; the gap to bare Hono is mostly logging.
 */
import { randomUUID } from "node:crypto";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { createRootLogger } from "../../service/src/runtime/logger";

const logger = createRootLogger("info");
const app = new Hono();
app.use(async function requestLine(c, next) {
  const requestId = randomUUID();
  const started = performance.now();
  c.header("x-request-id", requestId);
  await next();
  logger.info({ requestId, method: c.req.method, route: c.req.routePath, status: c.res.status, durationMs: performance.now() - started }, "request");
});
app.get("/me", (c) => c.json({ sub: "bench-user", email: "bench@example.com" }));
app.get("/health", (c) => c.json({ status: "ok" }));
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: "127.0.0.1" }, () => console.log("ready"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
