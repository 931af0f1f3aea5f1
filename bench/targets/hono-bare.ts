/** Peer 2: a bare Hono JSON route on @hono/node-server — the framework's own ceiling. */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.get("/me", (c) => c.json({ sub: "bench-user", email: "bench@example.com" }));
app.get("/health", (c) => c.json({ status: "ok" }));
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: "127.0.0.1" }, () => console.log("ready"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
