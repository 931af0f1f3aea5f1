/** The bench's DynamoDB: in-memory dynalite in its own process, with the notes table. */
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createNotesTableInput } from "../../service/src/notes/table";
import type { Server } from "node:http";

// dynalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite") as (options: { createTableMs: number }) => Server;

const port = Number(process.env.PORT ?? 0);
const tableName = process.env.TABLE_NAME ?? "bench-notes";
const server = dynalite({ createTableMs: 0 });
server.listen(port, "127.0.0.1", async () => {
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await client.send(
    new CreateTableCommand(createNotesTableInput(tableName)),
  );
  client.destroy();
  console.log("ready");
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
