/**
 * `npx tsx bench/dynamo-clients.ts [--calls N] [--rounds R]`: the CPU one DynamoDB call costs the
 * calling process, per client, for the notes path's two calls — a Query of one page (21 items,
 * newest first) and a conditional Put — against DynamoDB Local in its own process (so only the client's
 * CPU is counted), 16 calls in flight. Rounds alternate the clients, so a busy machine slows each
 * alike; the median of the rounds is printed. This is how the notes store's client was chosen
 * (docs/performance.md, "Choosing the DynamoDB client").
 */
import { DynamoDBClient, PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, QueryCommand as DocQueryCommand } from "@aws-sdk/lib-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { staticCredentials } from "../service/src/dynamo/credentials";
import { DynamoTransport } from "../service/src/dynamo/transport";
import { startBenchDynamo } from "./dynamodb-local";
import { MinimalDynamoClient } from "./floor/minimal-dynamo-client";

const args = process.argv.slice(2);
const numberFlag = (flag: string, fallback: number) => {
  const i = args.indexOf(flag);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const CALLS = numberFlag("--calls", 2000);
const ROUNDS = numberFlag("--rounds", 5);
const IN_FLIGHT = 16;
const TABLE = "bench-notes";
const USER = "probe-user";

interface Client {
  readonly name: string;
  query(): Promise<unknown[]>;
  put(i: number): Promise<void>;
  destroy(): void;
}

function note(i: number) {
  const now = new Date().toISOString();
  return {
    userId: USER,
    noteId: `probe-${process.pid}-${i}-${Math.random()}`,
    title: "bench",
    body: "a note written under load",
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

function clients(endpoint: string): Client[] {
  const credentials = { accessKeyId: "local", secretAccessKey: "local" };
  const sdkOptions = { endpoint, region: "local", credentials, maxAttempts: 2 };
  const lowLevel = new DynamoDBClient(sdkOptions);
  const document = DynamoDBDocumentClient.from(new DynamoDBClient(sdkOptions));
  const transport = new DynamoTransport({ endpoint, region: "local", credentials: staticCredentials(credentials) });
  const minimal = new MinimalDynamoClient(endpoint, "local", "local", "local");
  const queryInput = {
    TableName: TABLE,
    KeyConditionExpression: "userId = :u",
    ExpressionAttributeValues: { ":u": { S: USER } },
    ScanIndexForward: false,
    Limit: 21,
  };
  const condition = "attribute_not_exists(noteId)";
  return [
    {
      name: "SDK document client (before)",
      query: async () => (await document.send(new DocQueryCommand({ ...queryInput, ExpressionAttributeValues: { ":u": USER } }))).Items ?? [],
      put: async (i) => void (await document.send(new PutCommand({ TableName: TABLE, Item: note(i), ConditionExpression: condition }))),
      destroy: () => document.destroy(),
    },
    {
      name: "SDK low-level client + util-dynamodb",
      query: async () => ((await lowLevel.send(new QueryCommand(queryInput))).Items ?? []).map((i) => unmarshall(i)),
      put: async (i) => void (await lowLevel.send(new PutItemCommand({ TableName: TABLE, Item: marshall(note(i)), ConditionExpression: condition }))),
      destroy: () => lowLevel.destroy(),
    },
    {
      name: "lean transport (service/src/dynamo)",
      query: async () => ((await transport.send("Query", queryInput)).Items ?? []).map((i) => unmarshall(i)),
      put: async (i) => void (await transport.send("PutItem", { TableName: TABLE, Item: marshall(note(i)), ConditionExpression: condition })),
      destroy: () => transport.destroy(),
    },
    {
      name: "floor: minimal client (bench/floor)",
      query: async () => (((await minimal.call("Query", queryInput)).Items ?? []) as Parameters<typeof unmarshall>[0][]).map((i) => unmarshall(i)),
      put: async (i) => void (await minimal.call("PutItem", { TableName: TABLE, Item: marshall(note(i)), ConditionExpression: condition })),
      destroy: () => undefined,
    },
  ];
}

/** µs of this process's CPU per call, `calls` calls with IN_FLIGHT at a time. */
async function cpuPerCall(call: (i: number) => Promise<unknown>, calls: number): Promise<number> {
  const before = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < calls) await call(next++);
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main(): Promise<void> {
  const dynamo = await startBenchDynamo(TABLE);
  const all = clients(dynamo.url);
  try {
    for (let i = 0; i < 21; i++) await all[2]!.put(i);
    const samples = new Map<string, { query: number[]; put: number[] }>(all.map((c) => [c.name, { query: [], put: [] }]));
    // Warm every client up (JIT, sockets), then measure in alternating rounds.
    for (const c of all) {
      await cpuPerCall(() => c.query(), 500);
      await cpuPerCall((i) => c.put(i), 500);
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of all) {
        samples.get(c.name)!.query.push(await cpuPerCall(() => c.query(), CALLS));
        samples.get(c.name)!.put.push(await cpuPerCall((i) => c.put(i), CALLS));
      }
      process.stderr.write(`  round ${round + 1}/${ROUNDS}\n`);
    }
    const floor = samples.get(all[3]!.name)!;
    console.log(`CPU µs per call in this process, median of ${ROUNDS} rounds × ${CALLS} calls, ${IN_FLIGHT} in flight:`);
    console.log("| client | Query (21 items) | × floor | conditional Put | × floor |\n|---|---|---|---|---|");
    for (const c of all) {
      const s = samples.get(c.name)!;
      const q = median(s.query);
      const p = median(s.put);
      console.log(`| ${c.name} | ${q.toFixed(0)} | ${(q / median(floor.query)).toFixed(2)} | ${p.toFixed(0)} | ${(p / median(floor.put)).toFixed(2)} |`);
    }
  } finally {
    for (const c of all) c.destroy();
    await dynamo.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
