/** Scenario 7's front: the local gateway (Cognito authorizer semantics, HTTP_PROXY) before the service. */
import { createAuthorizer } from "../../local/gateway/authorizer";
import { fetchJwksOverHttp } from "../../service/src/auth/signature";
import { startGateway } from "../../local/gateway/server";

async function main(): Promise<void> {
  const need = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  const authorizer = createAuthorizer({
    issuer: need("COGNITO_ISSUER"),
    clientId: need("COGNITO_CLIENT_ID"),
    jwks: await fetchJwksOverHttp(need("JWKS_URI"), 5_000),
    ttlSeconds: 300,
  });
  const gateway = await startGateway({
    serviceUrl: need("SERVICE_URL"),
    authorizer,
    port: Number(need("PORT")),
    host: "127.0.0.1",
    setting: { name: "gateway", env: "PORT", flag: "--port" },
  });
  console.log("ready");
  process.on("SIGTERM", () => void gateway.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
