/** The bench's DynamoDB: in-memory dynalite in its own process (the local stack's starter), with the notes table. */
import { startDynalite } from "../../local/dynalite";
import { ensureNotesTable, localDynamoClient } from "../../local/table";

async function main(): Promise<void> {
  const dynalite = await startDynalite({
    path: undefined,
    port: Number(process.env.PORT ?? 0),
    host: "127.0.0.1",
    setting: { name: "bench dynalite", env: "PORT", flag: "-" },
  });
  const client = localDynamoClient(dynalite.endpoint, "local");
  await ensureNotesTable(client, process.env.TABLE_NAME ?? "bench-notes");
  client.destroy();
  console.log("ready");
  process.on("SIGTERM", () => void dynalite.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
