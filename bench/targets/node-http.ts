/** Peer 1: node:http answering a fixed JSON body — the ceiling for any Node HTTP service. */
import { createServer } from "node:http";

const body = JSON.stringify({ sub: "bench-user", email: "bench@example.com" });
const server = createServer((req, res) => {
  if (req.url === "/me" || req.url === "/health") {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  res.writeHead(404).end();
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => console.log("ready"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
