import type { IncomingMessage } from "node:http";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { noteLimits } from "../../../contract/note-limits";
import type { AppEnv } from "../app-env";
import { ApiError } from "./api-error";
import { requestHeader } from "./header";

const MAX_BYTES = noteLimits.requestBodyMaxBytes;

function tooLarge(): ApiError {
  return new ApiError("payload_too_large", `Request body exceeds ${MAX_BYTES} bytes`);
}

/** Node's request under @hono/node-server (`c.env.incoming`); undefined elsewhere (`app.request()` in tests). */
function nodeRequest(c: Context<AppEnv>): IncomingMessage | undefined {
  return c.env?.incoming;
}

const webBodyLimit = bodyLimit({
  maxSize: MAX_BYTES,
  onError: () => {
    throw tooLarge();
  },
});

/**
 * Refuses bodies over the limit with 413 — from Content-Length before reading, or while
 * streaming a chunked body — so an oversized body is never read whole. On Node the body is then
 * read from Node's own stream (readJson): reading it through the web Request made
 * @hono/node-server build a Request, a ReadableStream and an AbortController per POST, about 15%
 * of POST /notes' CPU in the profile. Elsewhere hono/body-limit does the same on the web stream.
 */
export const limitBody: MiddlewareHandler<AppEnv> = async function limitBody(c, next) {
  const incoming = nodeRequest(c);
  if (!incoming) return webBodyLimit(c, next);
  const declared = incoming.headers["content-length"];
  if (declared !== undefined && Number(declared) > MAX_BYTES) throw tooLarge();
  await next();
};

/** The body as text, counting bytes as they arrive: 413 as soon as it passes the limit. */
function readNodeBody(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BYTES) {
        incoming.off("data", onData);
        incoming.off("end", onEnd);
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      // As TextDecoder (the web Request's text()) does: a leading byte order mark is not content.
      const text = Buffer.concat(chunks).toString("utf8");
      resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    };
    incoming.on("data", onData);
    incoming.once("end", onEnd);
    incoming.once("error", reject);
  });
}

/** The request body as JSON: 415 unless `application/json`, 400 when it does not parse. */
export async function readJson(c: Context<AppEnv>): Promise<unknown> {
  const type = (requestHeader(c, "content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    throw new ApiError("unsupported_media_type", "Content-Type must be application/json");
  }
  const incoming = nodeRequest(c);
  const text = incoming ? await readNodeBody(incoming) : await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError("validation_failed", "Body is not valid JSON", { reason: "invalid_json" });
  }
}
