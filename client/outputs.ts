/**
 * A stack's outputs, shaped like `pulumi stack output --json` (plus the local-only keys).
 * The CLI and the smoke suite take any such file: the local stack's or a deployed stack's.
 */
import { readFileSync } from "node:fs";
import * as z from "zod";

export const stackOutputsSchema = z.object({
  apiUrl: z.string().url(),
  region: z.string().min(1),
  userPoolId: z.string().min(1),
  userPoolClientId: z.string().min(1),
  issuer: z.string().url(),
  tableName: z.string().min(1),
  /** Local stack only: cognito-local's endpoint. Deployed: derived from `region`. */
  cognitoEndpoint: z.string().url().optional(),
  /** Local stack only: the service behind the local gateway. */
  serviceUrl: z.string().url().optional(),
});

export type StackOutputs = z.infer<typeof stackOutputsSchema>;

export const DEFAULT_OUTPUTS_FILE = ".data/outputs.local.json";

export class OutputsError extends Error {
  override readonly name = "OutputsError";
}

/** Parse outputs, naming every missing or malformed key. */
export function parseOutputs(value: unknown, source: string): StackOutputs {
  const result = stackOutputsSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.join(".") || "(root)";
    return issue.code === "invalid_type" && issue.message.endsWith("received undefined") ? `missing key "${key}"` : `key "${key}": ${issue.message}`;
  });
  throw new OutputsError(`${source}: ${problems.join("; ")}`);
}

/** An outputs file's JSON, unchecked: an `OutputsError` if it cannot be read or is not JSON. */
export function readOutputsJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new OutputsError(
      `cannot read outputs file ${file} (start the local stack with \`npm run dev\`, or pass --outputs <file> from \`pulumi stack output --json\`)`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new OutputsError(`${file} is not JSON`);
  }
}

export function loadOutputs(file: string): StackOutputs {
  return parseOutputs(readOutputsJson(file), file);
}

/** Where to reach the Cognito user pool API for these outputs. */
export function cognitoEndpointOf(outputs: StackOutputs): string {
  return outputs.cognitoEndpoint ?? `https://cognito-idp.${outputs.region}.amazonaws.com/`;
}

/** True when the outputs point at cognito-local (admin calls with dummy credentials are allowed). */
export function isLocalStack(outputs: StackOutputs): boolean {
  if (!outputs.cognitoEndpoint) return false;
  const host = new URL(outputs.cognitoEndpoint).hostname;
  return host === "localhost" || host === "127.0.0.1" || host === "::1" || host === "[::1]";
}
