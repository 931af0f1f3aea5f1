/**
 * DynamoDB Local is a Java program: `npm run dev` and `npm test` check for Java ≥ 17 first, so a
 * machine without it gets one line naming what to install instead of a spawn error deep in a stack.
 */
import { spawnSync } from "node:child_process";

export const JAVA_MIN_MAJOR = 17;

export class JavaMissingError extends Error {
  override readonly name = "JavaMissingError";
}

/** The major version in `java -version`'s output: `version "17.0.15"` → 17, `version "1.8.0_402"` → 8. */
export function javaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?[^"]*"/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** Throws JavaMissingError (one line: what to install) unless `java` ≥ 17 runs. */
export function requireJava(command = "java"): void {
  const install = `install a Java runtime ≥ ${JAVA_MIN_MAJOR} (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17) and put \`java\` on PATH`;
  const run = spawnSync(command, ["-version"], { encoding: "utf8" });
  if (run.error) {
    throw new JavaMissingError(`DynamoDB Local needs Java ${JAVA_MIN_MAJOR}+, and \`${command}\` was not found: ${install}.`);
  }
  const major = javaMajorVersion(`${run.stderr}\n${run.stdout}`);
  if (major === undefined || major < JAVA_MIN_MAJOR) {
    throw new JavaMissingError(
      `DynamoDB Local needs Java ${JAVA_MIN_MAJOR}+, and \`${command}\` is ${major === undefined ? "of an unknown version" : `Java ${major}`}: ${install}.`,
    );
  }
}
