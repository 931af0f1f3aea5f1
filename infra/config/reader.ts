/**
 * ConfigReader: reads raw stack config values by bare key and collects every problem, so one
 * `ConfigError` can name all bad keys at once. Each config section (config.ts and its siblings)
 * reads its keys through one shared reader; a key no section reads is reported as unknown, so a
 * section must read each of its keys unconditionally.
 */
export const CONFIG_NAMESPACE = "user-aware-api";

export class ConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`Invalid stack config:\n  - ${issues.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

/** `user-aware-api:<key>`, as the stack file and `pulumi config set` spell it. */
export const configKey = (k: string): string => `${CONFIG_NAMESPACE}:${k}`;

export class ConfigReader {
  private readonly problems: string[] = [];
  private readonly known = new Set<string>();

  constructor(private readonly raw: Readonly<Record<string, unknown>>) {}

  /** The raw value of `k` (undefined when unset); marks the key as known. */
  value(k: string): unknown {
    this.known.add(k);
    return this.raw[k];
  }

  /** Record that `k`'s value is invalid, naming what is allowed. */
  fail(k: string, value: unknown, allowed: string): void {
    this.problems.push(`${configKey(k)}: ${JSON.stringify(value)} is not valid; allowed: ${allowed}`);
  }

  /** Record a problem that is not about one value's shape (e.g. two keys that conflict). */
  problem(k: string, message: string): void {
    this.problems.push(`${configKey(k)}: ${message}`);
  }

  oneOf<T extends string>(k: string, choices: readonly T[], dflt: T): T {
    const v = this.value(k);
    if (v === undefined) return dflt;
    if (typeof v === "string" && (choices as readonly string[]).includes(v)) return v as T;
    this.fail(k, v, choices.join(" | "));
    return dflt;
  }

  int(k: string, min: number, max: number, dflt: number): number {
    const v = this.value(k);
    if (v === undefined) return dflt;
    const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    this.fail(k, v, `an integer from ${min} to ${max}`);
    return dflt;
  }

  number(k: string, min: number, max: number, dflt: number): number {
    const v = this.value(k);
    if (v === undefined) return dflt;
    const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
    if (Number.isFinite(n) && n >= min && n <= max) return n;
    this.fail(k, v, `a number from ${min} to ${max}`);
    return dflt;
  }

  bool(k: string, dflt: boolean): boolean {
    const v = this.value(k);
    if (v === undefined) return dflt;
    if (v === true || v === "true") return true;
    if (v === false || v === "false") return false;
    this.fail(k, v, "true | false");
    return dflt;
  }

  /**
   * An optional string matching `test`; unset or empty is undefined. `allowed` describes a valid
   * value for the error message.
   */
  optionalString(k: string, test: (value: string) => boolean, allowed: string): string | undefined {
    const v = this.value(k);
    if (v === undefined || v === "") return undefined;
    if (typeof v === "string" && test(v)) return v;
    this.fail(k, v, allowed);
    return undefined;
  }

  /**
   * A list of strings: Pulumi stores a YAML list as a JSON string; a comma-separated string and a
   * real array are accepted too. Invalid entries are reported together and dropped.
   */
  stringList(k: string, test: (value: string) => boolean, allowed: string): readonly string[] {
    const v = this.value(k);
    if (v === undefined || v === "") return [];
    let list: unknown = v;
    if (typeof v === "string") {
      try {
        list = v.trim().startsWith("[") ? JSON.parse(v) : v.split(",").map((s) => s.trim());
      } catch {
        list = undefined;
      }
    }
    if (!Array.isArray(list)) {
      this.fail(k, v, allowed);
      return [];
    }
    const bad = list.filter((o) => typeof o !== "string" || !test(o));
    if (bad.length > 0) this.fail(k, bad, allowed);
    return list.filter((o): o is string => typeof o === "string" && test(o));
  }

  /** Throws one `ConfigError` with unknown keys first, then every invalid value; else returns. */
  finish(): void {
    const knownKeys = [...this.known];
    const unknown = Object.keys(this.raw)
      .filter((k) => !this.known.has(k))
      .map((k) => `${configKey(k)}: unknown key; allowed keys: ${knownKeys.join(", ")}`);
    const issues = [...unknown, ...this.problems];
    if (issues.length > 0) throw new ConfigError(issues);
  }
}
