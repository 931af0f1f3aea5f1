/**
 * A stand-in for Cognito's API in the bench: DELETE /me ends with AdminDeleteUser, and the bench
 * has no user pool (nor cognito-local, whose users the bench would have to create first). This
 * tiny HTTP server answers every AdminDeleteUser with 200 `{}`, as Cognito does on success, and
 * counts the calls; anything else is 400. Its time is not the service's: a real AdminDeleteUser
 * adds a Cognito round trip (tens of ms) to DELETE /me.
 */
import { createServer, type Server } from "node:http";
import { freePort } from "./processes";

export interface CognitoStandIn {
  readonly url: string;
  /** AdminDeleteUser calls answered. */
  readonly deletions: () => number;
  close(): Promise<void>;
}

const ADMIN_DELETE_USER = "AWSCognitoIdentityProviderService.AdminDeleteUser";

export async function startCognitoStandIn(): Promise<CognitoStandIn> {
  let deletions = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const known = req.headers["x-amz-target"] === ADMIN_DELETE_USER;
      if (known) deletions++;
      res.writeHead(known ? 200 : 400, { "content-type": "application/x-amz-json-1.1" });
      res.end(known ? "{}" : JSON.stringify({ __type: "InvalidParameterException", message: "the bench's stand-in answers AdminDeleteUser only" }));
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    deletions: () => deletions,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
