/**
 * Peer 3: what people write today — Express with jwt-decode answering /me from the
 * Authorization header, with the same claim checks our service does (iss, aud, token_use, exp).
 */
import express from "express";
import { jwtDecode } from "jwt-decode";

const issuer = process.env.COGNITO_ISSUER ?? "";
const clientId = process.env.COGNITO_CLIENT_ID ?? "";
const app = express();
app.disable("x-powered-by");
app.get("/health", (_req, res) => {
  res.json({ status: "ok" });
});
app.get("/me", (req, res) => {
  const header = req.headers.authorization ?? "";
  const token = header.startsWith("Bearer ") ? header.slice(7) : header;
  try {
    const p = jwtDecode<Record<string, unknown>>(token);
    if (
      typeof p.sub !== "string" ||
      p.token_use !== "id" ||
      p.iss !== issuer ||
      p.aud !== clientId ||
      typeof p.exp !== "number" ||
      p.exp * 1000 <= Date.now()
    ) {
      res.status(401).json({ error: { code: "unauthorized", message: "Unauthorized" } });
      return;
    }
    res.json({ sub: p.sub, email: p.email ?? null, emailVerified: p.email_verified === true });
  } catch {
    res.status(401).json({ error: { code: "unauthorized", message: "Unauthorized" } });
  }
});
const server = app.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => console.log("ready"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
