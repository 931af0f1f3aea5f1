/**
 * dynalite (DynamoDB on LevelDB) in the orchestrator's process: on disk under the data dir for
 * `npm run dev`, in memory for tests. It dies with the orchestrator, so it cannot be orphaned.
 */
import type { Server } from "node:http";
import { listenOn, type PortSetting } from "./ports";

interface DynaliteOptions {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}
type DynaliteFactory = (options: DynaliteOptions) => Server;

// dynalite ships no types; this is the one call we make.
const dynalite = require("dynalite") as DynaliteFactory;

export interface Dynalite {
  /** The port it listens on (the one bound, when asked for 0). */
  readonly port: number;
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function startDynalite(options: { path: string | undefined; port: number; host: string; setting: PortSetting }): Promise<Dynalite> {
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // Never close an idle keep-alive connection (Node's default closes it after 5 s): a client may
  // be sending its next request on it at that very moment and get ECONNRESET, which the store
  // rightly answers 503. Under CPU contention that race failed the hardening suite; close() still
  // ends every connection.
  server.keepAliveTimeout = 0;
  const port = await listenOn(server, options.port, options.host, options.setting);
  return {
    port,
    endpoint: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
