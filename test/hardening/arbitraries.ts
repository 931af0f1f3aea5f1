/**
 * fast-check arbitraries for hostile input: structured values a careless parser trips on, not
 * only random strings. Shared by the property tests of test/hardening.
 */
import fc from "fast-check";
import { noteLimits } from "../../contract/note-limits";

/** Keys that poison naive object merges or lookups. */
export const poisonKeys = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"] as const;

/** Strings that break naive code: unicode, lone surrogates, control characters, huge, numeric-looking. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\ud800",
    "\udfff",
    "\ud83d\ude00",
    "\u202e",
    "\ufeff",
    "null",
    "undefined",
    "NaN",
    "-0",
    "1e309",
    "../..",
    "%00",
    "<script>",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text of a log4j-style lookup, as an attacker sends it.
    "${jndi:x}",
    "__proto__",
  ),
  fc.nat({ max: 70_000 }).map((n) => "x".repeat(n)),
);

/** Any JSON value, including deep nesting, poison keys and huge strings. */
export const hostileJsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, 1.5, Number.MAX_SAFE_INTEGER, 1e308, -1e-308),
    hostileString,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...poisonKeys), fc.string()), tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** A header value that `Headers` accepts (a ByteString without CR, LF or NUL), as bytes on the wire would be. */
export const headerSafeString: fc.Arbitrary<string> = fc.string({
  unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(0x09)).map((c) => String.fromCharCode(c)),
  maxLength: 300,
});

const b64url = (text: string): string => Buffer.from(text, "utf8").toString("base64url");

/** A random base64url-ish segment: valid alphabet, any length (0..600). */
export const base64urlSegment: fc.Arbitrary<string> = fc.oneof(
  fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes).toString("base64url")),
  fc.string({ unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split("")), maxLength: 600 }),
);

/**
 * A claim set derived from a valid one by random edits: keys deleted, set to hostile values,
 * poison keys added. `base` must be a valid id-token claim set.
 */
export function editedClaims(base: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(base);
  const edit = fc.oneof(
    fc.record({ op: fc.constant("delete" as const), key: fc.constantFrom(...keys) }),
    fc.record({ op: fc.constant("set" as const), key: fc.oneof(fc.constantFrom(...keys), fc.constantFrom(...poisonKeys)), value: hostileJsonValue }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    // JSON.parse so `__proto__` becomes an own key, as it would in an attacker's token.
    const claims = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
    for (const e of edits) {
      if (e.op === "delete") delete claims[e.key];
      else Object.defineProperty(claims, e.key, { value: e.value, enumerable: true, configurable: true, writable: true });
    }
    return claims;
  });
}

/** `header.payload.signature` with each part built from any JSON text (or none). */
export function jwtShaped(payload: fc.Arbitrary<unknown>, signature: fc.Arbitrary<string> = base64urlSegment): fc.Arbitrary<string> {
  const header = fc.oneof(
    fc.constant({ alg: "RS256", typ: "JWT", kid: "test-kid-1" }),
    fc.constant({ alg: "none" }),
    fc.constant({ alg: "HS256", kid: "test-kid-1" }),
    hostileJsonValue,
  );
  const part = (value: unknown): string => b64url(JSON.stringify(value) ?? "undefined");
  return fc.tuple(header, payload, signature).map(([h, p, s]) => `${part(h)}.${part(p)}.${s}`);
}

/** Ways an Authorization header wraps a token: raw, Bearer in any case and spacing, other schemes. */
export const bearerWrapper: fc.Arbitrary<(token: string) => string> = fc
  .tuple(
    fc.constantFrom("", "Bearer ", "bearer ", "BEARER   ", "Bearer\t", "Bearer", "Basic ", "Bearer Bearer ", "Token ", "Bearer ,"),
    fc.constantFrom("", " ", "\t", "  \t "),
    fc.constantFrom("", " ", "\t", " x", ",", " Bearer"),
  )
  .map(
    ([prefix, lead, trail]) =>
      (token: string) =>
        `${lead}${prefix}${token}${trail}`,
  );

/** A string of `n` UTF-16 units from a unicode-rich alphabet, sometimes ending in a surrogate pair (so `n - 1` code points). */
function stringOfLength(n: number): fc.Arbitrary<string> {
  return fc.constantFrom("a", "é", "中", " ", "\u0000", '"', "\\").chain((ch) =>
    fc.constantFrom("", "\ud83d\ude00").map((emoji) => {
      if (n === 0) return "";
      const tail = emoji.length <= n - 1 ? emoji : "";
      return ch.repeat(n - tail.length) + tail;
    }),
  );
}

const boundaryTitle = fc.oneof(
  fc.constantFrom(0, 1, 2, noteLimits.titleMax - 1, noteLimits.titleMax, noteLimits.titleMax + 1).chain(stringOfLength),
  fc.constantFrom("   ", "\t", "\u00a0", "\ud800", "t\udfff", "\ud83d\ude00"),
  fc.string({ maxLength: 250 }),
);
const boundaryBody = fc.oneof(
  fc.constantFrom(0, 1, noteLimits.bodyMax - 1, noteLimits.bodyMax, noteLimits.bodyMax + 1).chain(stringOfLength),
  fc.string({ maxLength: 50 }),
  fc.constantFrom("\ud800", "a\udc00b"),
);

/** Objects close to a valid note: boundary lengths, unicode, wrong types, extra or missing fields. */
export const nearValidNote: fc.Arbitrary<unknown> = fc
  .record(
    {
      title: fc.oneof({ weight: 4, arbitrary: boundaryTitle }, { weight: 1, arbitrary: hostileJsonValue }),
      body: fc.oneof({ weight: 4, arbitrary: boundaryBody }, { weight: 1, arbitrary: hostileJsonValue }),
      extra: fc.option(fc.tuple(fc.constantFrom("userId", "id", "version", "owner", ...poisonKeys), hostileJsonValue), { freq: 4 }),
    },
    { requiredKeys: [] },
  )
  .map(({ title, body, extra }) => {
    const note: Record<string, unknown> = {};
    if (title !== undefined) note.title = title;
    if (body !== undefined) note.body = body;
    if (extra) Object.defineProperty(note, extra[0], { value: extra[1], enumerable: true, configurable: true, writable: true });
    return note;
  });
