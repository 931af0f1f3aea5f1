/**
 * PASSWORD_VERIFIER's TIMESTAMP: "EEE MMM d HH:mm:ss z yyyy" in English, UTC, as Amplify's
 * getNowString writes it ("Sun Dec 6 02:11:00 UTC 2026"). Cognito answers a string not of that shape
 * with InvalidParameterException, and signs the canonical form, so a zero-padded day or a wrong
 * weekday parses but no longer matches the client's signature (NotAuthorizedException).
 */
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const SHAPE = /^([A-Z][a-z]{2}) ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([A-Z]{3,4}) (\d{4})$/;

export const TIMESTAMP_FORMAT_MESSAGE = "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.";

export type ParsedTimestamp = { readonly ok: true; readonly time: number; readonly canonical: boolean } | { readonly ok: false };

const pad = (n: number): string => String(n).padStart(2, "0");

/** The canonical TIMESTAMP for a moment (Amplify's getNowString). */
export function formatTimestamp(time: number): string {
  const d = new Date(time);
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** The moment a TIMESTAMP names, and whether it is written exactly as the canonical form. */
export function parseTimestamp(value: unknown): ParsedTimestamp {
  if (typeof value !== "string") return { ok: false };
  const m = SHAPE.exec(value);
  if (!m) return { ok: false };
  const [, weekday, monthName, day, hours, minutes, seconds, zone, year] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const month = MONTHS.indexOf(monthName as (typeof MONTHS)[number]);
  if (month < 0 || !WEEKDAYS.includes(weekday as (typeof WEEKDAYS)[number])) return { ok: false };
  const [h, min, s, d] = [Number(hours), Number(minutes), Number(seconds), Number(day)];
  if (h > 23 || min > 59 || s > 59 || d < 1) return { ok: false };
  const time = Date.UTC(Number(year), month, d, h, min, s);
  // 31 Feb and the like roll over into another month: not a date.
  if (new Date(time).getUTCMonth() !== month) return { ok: false };
  return { ok: true, time, canonical: zone === "UTC" && formatTimestamp(time) === value };
}
