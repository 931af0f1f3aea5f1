/**
 * The bootstrap stack's config, read and validated once: the GitHub repository (owner/repo, no
 * wildcard — the trust policies compare it exactly), the app stacks this account serves (each a
 * GitHub environment), and optionally the account's existing GitHub OIDC provider.
 */
import * as pulumi from "@pulumi/pulumi";
import * as z from "zod";

export const CONFIG_NAMESPACE = "user-aware-api-bootstrap";

/** The suffix of a stack's read-only environment (pull request previews, nightly drift). */
export const PREVIEW_SUFFIX = "-preview";

export class BootstrapConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`Invalid bootstrap config:\n  - ${issues.join("\n  - ")}`);
    this.name = "BootstrapConfigError";
  }
}

// GitHub's own rules: an owner is 1–39 letters, digits or single hyphens, not at either end; a
// repository name is letters, digits, '.', '_', '-' (not "." or ".."). No '*' or '?' can pass.
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPO = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;
// A stack name that is also a usable GitHub environment name and an IAM role-name fragment.
const STACK = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

export interface GithubRepository {
  readonly owner: string;
  readonly name: string;
  /** owner/name, as the token's `sub` spells it. */
  readonly fullName: string;
}

export interface BootstrapConfig {
  readonly repository: GithubRepository;
  readonly stacks: readonly string[];
  /** The account's GitHub OIDC provider, when it exists already; otherwise the bootstrap creates it. */
  readonly oidcProviderArn: string | undefined;
}

const key = (k: string) => `${CONFIG_NAMESPACE}:${k}`;

const repositorySchema = z.string().transform((value, ctx) => {
  const [owner, name, ...rest] = value.split("/");
  if (owner === undefined || name === undefined || rest.length > 0 || !OWNER.test(owner) || !REPO.test(name)) {
    ctx.addIssue({ code: "custom", message: `${key("githubRepository")}: "${value}" is not owner/repo (GitHub names: no wildcard, no extra "/")` });
    return z.NEVER;
  }
  return { owner, name, fullName: `${owner}/${name}` };
});

const stacksSchema = z
  .array(z.string())
  .min(1)
  .superRefine((stacks, ctx) => {
    for (const s of stacks) {
      if (!STACK.test(s)) ctx.addIssue({ code: "custom", message: `${key("stacks")}: "${s}" is not a stack name (letters, digits, '-', '_'; at most 32)` });
      else if (s.endsWith(PREVIEW_SUFFIX))
        ctx.addIssue({ code: "custom", message: `${key("stacks")}: "${s}" ends in "${PREVIEW_SUFFIX}", the suffix of the read-only environments` });
    }
    if (new Set(stacks).size !== stacks.length) ctx.addIssue({ code: "custom", message: `${key("stacks")}: a stack is listed twice` });
  });

const providerArnSchema = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, {
  message: `${key("oidcProviderArn")}: not the ARN of GitHub's OIDC provider (arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com)`,
});

/** Validate raw config values (as Pulumi hands them: strings, lists as JSON). Throws BootstrapConfigError. */
export function parseBootstrapConfig(raw: Record<string, string | undefined>): BootstrapConfig {
  const issues: string[] = [];
  const take = <T>(name: string, schema: z.ZodType<T>, value: unknown): T | undefined => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    issues.push(...result.error.issues.map((i) => (i.message.startsWith(key(name)) ? i.message : `${key(name)}: ${i.message}`)));
    return undefined;
  };
  const repoRaw = raw["githubRepository"];
  let repository: z.infer<typeof repositorySchema> | undefined;
  if (repoRaw === undefined) issues.push(`${key("githubRepository")}: required (owner/repo)`);
  else repository = take("githubRepository", repositorySchema, repoRaw);
  let stacksValue: unknown;
  if (raw["stacks"] === undefined) issues.push(`${key("stacks")}: required (a list of the app's stack names)`);
  else {
    try {
      stacksValue = JSON.parse(raw["stacks"]);
    } catch {
      issues.push(`${key("stacks")}: not a list`);
    }
  }
  const stacks = stacksValue === undefined ? undefined : take("stacks", stacksSchema, stacksValue);
  const oidcProviderArn = raw["oidcProviderArn"] === undefined ? undefined : take("oidcProviderArn", providerArnSchema, raw["oidcProviderArn"]);
  const known = new Set(["githubRepository", "stacks", "oidcProviderArn"]);
  for (const k of Object.keys(raw)) if (!known.has(k)) issues.push(`${key(k)}: unknown key`);
  if (issues.length > 0 || repository === undefined || stacks === undefined) throw new BootstrapConfigError(issues);
  return { repository, stacks, oidcProviderArn };
}

/** The stack's config from Pulumi (every key of this project's namespace). */
export function readBootstrapConfig(): BootstrapConfig {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(pulumi.runtime.allConfig())) if (k.startsWith(prefix)) raw[k.slice(prefix.length)] = v;
  return parseBootstrapConfig(raw);
}
