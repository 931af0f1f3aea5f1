/**
 * Log lines are buffered (service/src/runtime/logger.ts), so the way out must write them
 * all. The bundle serves a burst of requests and gets SIGTERM the moment the last answer is in,
 * while its last lines are still in the buffer; every request's line must be in its stdout. And a
 * buffered logger really buffers: lines written in one tick are not on the destination yet.
 */
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRootLogger, flushLogs, LOG_BUFFER_BYTES, LOG_FLUSH_INTERVAL_MS } from "../../service/src/runtime/logger";
import { idToken } from "../helpers/tokens";
import { buildBundle, serviceEnv, startService, type BuiltBundle } from "./support";

const REQUESTS = 200;

let bundle: BuiltBundle;
beforeAll(async () => {
  bundle = await buildBundle();
});
afterAll(() => bundle?.remove());

describe("buffered log lines are never lost", () => {
  it(`${REQUESTS} requests, SIGTERM right after the last answer: all ${REQUESTS} request lines are written, then "drained", exit 0`, async () => {
    const service = startService(bundle.file, serviceEnv({ LOG_LEVEL: "info" }));
    try {
      const port = (await service.waitForLine((l) => l.msg === "ready")).port as number;
      const requestIds = Array.from({ length: REQUESTS }, (_, i) => `log-flush-${i}`);
      const token = idToken("log-flush-user");
      // Concurrent, so lines pile up in the buffer faster than the periodic flush writes them.
      // The last one without a valid token: refusals are logged (and echo the request id) too.
      const statuses = await Promise.all(
        requestIds.map(async (id, i) => {
          const authorization = i === REQUESTS - 1 ? "not-a-token" : token;
          const res = await fetch(`http://127.0.0.1:${port}/me`, { headers: { Authorization: authorization, "x-request-id": id } });
          await res.arrayBuffer();
          // Echoed through Node's response (service/src/http/header.ts setResponseHeader).
          expect(res.headers.get("x-request-id")).toBe(id);
          return res.status;
        }),
      );
      service.child.kill("SIGTERM");
      expect(statuses).toEqual(requestIds.map((_, i) => (i === REQUESTS - 1 ? 401 : 200)));
      expect(await service.exited).toMatchObject({ code: 0, signal: null });

      const logged = service.lines.filter((l) => l.msg === "request").map((l) => l.requestId);
      expect(new Set(logged)).toEqual(new Set(requestIds));
      expect(logged).toHaveLength(REQUESTS);
      // Order kept: the shutdown's own lines come after the requests'.
      const msgs = service.lines.map((l) => l.msg);
      expect(msgs.lastIndexOf("request")).toBeLessThan(msgs.indexOf("draining"));
      expect(msgs[msgs.length - 1]).toBe("drained");
    } finally {
      service.kill();
    }
  });

  it("lines are held until the buffer fills or the interval passes, and flushLogs writes the rest", async () => {
    const dir = mkdtempSync(join(tmpdir(), "uaa-log-"));
    const file = join(dir, "out.log");
    // The production destination's settings, on a file instead of stdout.
    const destination = pino.destination({ fd: openSync(file, "w"), sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_INTERVAL_MS });
    try {
      const logger = createRootLogger("info", destination);
      for (let i = 0; i < 5; i++) logger.info({ i }, "request");
      // Same tick: nothing written yet (5 short lines are far below the buffer size).
      expect(readFileSync(file, "utf8")).toBe("");
      await flushLogs(logger);
      expect(
        readFileSync(file, "utf8")
          .trim()
          .split("\n")
          .map((l) => (JSON.parse(l) as { i: number }).i),
      ).toEqual([0, 1, 2, 3, 4]);
    } finally {
      destination.destroy(); // stops the periodic flush, closes the file
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
