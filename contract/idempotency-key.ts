/**
 * The `Idempotency-Key` request header of POST /notes (IETF httpapi draft "The Idempotency-Key
 * HTTP Header Field"). Its value is a Structured Field String (RFC 8941), e.g.
 * `Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324"`; the bare form without quotes
 * (`Idempotency-Key: 8e03978e-…`, as many APIs take it) is accepted too. The key itself is 1..255
 * printable ASCII characters. Both the service and the CLI use this file.
 */

export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

/** The longest key (characters between the quotes). */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/** How long a key is remembered: a repeat within this answers with the same note. */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 3_600_000;

/** The header's value for a key (the draft's sf-string form). */
export function idempotencyKeyHeaderValue(key: string): string {
  return `"${key.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const BARE = /^[\x21-\x7e]+$/;
const SF_STRING_CHAR = /^[\x20-\x21\x23-\x5b\x5d-\x7e]$/;

/**
 * The key in a header value, or a message saying what is wrong with it. The value's own
 * surrounding whitespace is ignored (HTTP trims it).
 */
export function parseIdempotencyKey(value: string): { key: string } | { problem: string } {
  const text = value.trim();
  let key: string;
  if (text.startsWith('"')) {
    const parsed = unquote(text);
    if (parsed === undefined) {
      return { problem: `${IDEMPOTENCY_KEY_HEADER} must be a quoted string ("…", printable ASCII, \\" and \\\\ escaped) or a bare key of printable ASCII` };
    }
    key = parsed;
  } else {
    if (!BARE.test(text)) return { problem: `${IDEMPOTENCY_KEY_HEADER} must be printable ASCII (a bare key has no spaces or quotes)` };
    key = text;
  }
  if (key.length === 0) return { problem: `${IDEMPOTENCY_KEY_HEADER} must not be empty` };
  if (key.length > IDEMPOTENCY_KEY_MAX_LENGTH) return { problem: `${IDEMPOTENCY_KEY_HEADER} must be at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters` };
  return { key };
}

/** RFC 8941 sf-string: DQUOTE *( unescaped / "\" ( DQUOTE / "\" ) ) DQUOTE; undefined if it is not one. */
function unquote(text: string): string | undefined {
  if (text.length < 2 || !text.endsWith('"')) return undefined;
  let out = "";
  for (let i = 1; i < text.length - 1; i++) {
    const c = text[i] as string;
    if (c === "\\") {
      const next = text[i + 1];
      if (next !== '"' && next !== "\\") return undefined;
      out += next;
      i++;
      if (i >= text.length - 1) return undefined;
    } else if (SF_STRING_CHAR.test(c)) {
      out += c;
    } else {
      return undefined;
    }
  }
  return out;
}
