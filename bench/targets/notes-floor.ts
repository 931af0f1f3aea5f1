/**
 * Reference 8: the notes path's floor — node:http answering GET /notes and POST /notes with the
 * same DynamoDB calls the service makes (a Query of one page, newest first, bounded to note ids;
 * one TransactWriteItems per create: the tombstone's ConditionCheck and the note's conditional Put,
 * with a ClientRequestToken),
 * through the minimal client, items unmarshalled with @aws-sdk/util-dynamodb. No auth, no
 * validation, no log line: the gap between this and the service is everything else we do.
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { TOMBSTONE_KEY } from "../../service/src/account/tombstones";
import { NOTE_ID_RANGE } from "../../service/src/notes/note-id";
import { MinimalDynamoClient } from "../floor/minimal-dynamo-client";

const tableName = process.env.TABLE_NAME ?? "bench-notes";
const userId = process.env.FLOOR_USER_ID ?? "bench-floor-user";
const dynamo = new MinimalDynamoClient(process.env.DYNAMODB_ENDPOINT ?? "", "local", "local", "local");
const PAGE = 20;

async function list(res: ServerResponse): Promise<void> {
  const out = await dynamo.call("Query", {
    TableName: tableName,
    KeyConditionExpression: "userId = :u AND noteId BETWEEN :first AND :last",
    ExpressionAttributeValues: { ":u": { S: userId }, ":first": { S: NOTE_ID_RANGE.first }, ":last": { S: NOTE_ID_RANGE.last } },
    ScanIndexForward: false,
    Limit: PAGE + 1,
  });
  const items = ((out.Items ?? []) as Parameters<typeof unmarshall>[0][]).map((i) => unmarshall(i));
  const page = items.slice(0, PAGE).map(({ userId: _owner, noteId, ...rest }) => ({ id: noteId as string, ...rest }));
  send(res, 200, { items: page, nextCursor: items.length > PAGE ? (page[page.length - 1]?.id ?? null) : null });
}

async function create(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const input = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { title: string; body: string };
  const now = new Date().toISOString();
  const note = { id: randomUUID(), title: input.title, body: input.body, createdAt: now, updatedAt: now, version: 1 };
  const { id, ...rest } = note;
  // A cancelled transaction (the tombstone exists) is an error answer, as in the service.
  await dynamo.call("TransactWriteItems", {
    ClientRequestToken: createHash("sha256").update(userId).update("\0").update(id).digest("base64url").slice(0, 36),
    TransactItems: [
      {
        ConditionCheck: {
          TableName: tableName,
          Key: { userId: { S: userId }, noteId: { S: TOMBSTONE_KEY } },
          ConditionExpression: "attribute_not_exists(userId)",
        },
      },
      { Put: { TableName: tableName, Item: marshall({ userId, noteId: id, ...rest }), ConditionExpression: "attribute_not_exists(noteId)" } },
    ],
  });
  send(res, 201, note);
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
}

const server = createServer((req, res) => {
  const done = (p: Promise<void>) => p.catch((err: unknown) => send(res, 500, { error: String(err) }));
  if (req.url === "/health") return send(res, 200, { status: "ok" });
  if (req.url === "/notes" && req.method === "GET") return void done(list(res));
  if (req.url === "/notes" && req.method === "POST") return void done(create(req, res));
  res.writeHead(404).end();
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => console.log("ready"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
