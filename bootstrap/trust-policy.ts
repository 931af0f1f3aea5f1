/**
 * Who may assume a role from GitHub Actions: the trust policy that pins a token's audience and
 * subject to one repository's one environment, and `couldAssume`, which evaluates a trust policy
 * against a token the way STS does for AssumeRoleWithWebIdentity — for the invariant tests, and for
 * anyone who wants to ask "could a workflow of X, on branch Y, assume this role?".
 */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;
/** The audience configure-aws-credentials asks GitHub for (its `audience` input's default). */
export const STS_AUDIENCE = "sts.amazonaws.com";
export const ASSUME_ACTION = "sts:AssumeRoleWithWebIdentity";

/**
 * The token's `sub` for a job that runs in a GitHub environment. GitHub's default subject format
 * names the environment instead of the branch, so a job must reference the environment (and pass
 * its protection rules) to get this subject.
 */
export const environmentSubject = (repository: string, environment: string): string => `repo:${repository}:environment:${environment}`;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: { readonly Federated?: string | readonly string[] } | "*";
  readonly Action: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export function githubTrustPolicy(providerArn: string, repository: string, environment: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GithubEnvironment",
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: ASSUME_ACTION,
        // StringEquals, not StringLike: no wildcard can widen either value.
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
            [`${GITHUB_OIDC_HOST}:sub`]: environmentSubject(repository, environment),
          },
        },
      },
    ],
  };
}

/** What STS sees of an AssumeRoleWithWebIdentity call with a GitHub token. */
export interface WebIdentityRequest {
  /** The OIDC provider the token was validated against. */
  readonly providerArn: string;
  /** The token's claims, e.g. { aud: "sts.amazonaws.com", sub: "repo:o/r:ref:refs/heads/main" }. */
  readonly claims: Readonly<Record<string, string>>;
}

const asList = <T>(v: T | readonly T[] | undefined): readonly T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v as T]);

/** IAM's `*` and `?` wildcards (StringLike, and in actions). */
function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "s").test(value);
}

const OPERATORS: Readonly<Record<string, (expected: string, actual: string) => boolean>> = {
  StringEquals: (e, a) => e === a,
  StringLike: globMatches,
};

function statementApplies(statement: PolicyStatement, request: WebIdentityRequest): boolean {
  if (!asList(statement.Action).some((a) => globMatches(a.toLowerCase(), ASSUME_ACTION.toLowerCase()))) return false;
  const principal = statement.Principal;
  if (principal !== "*" && !asList(principal?.Federated).includes(request.providerArn)) return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, entries]) => {
    const compare = OPERATORS[operator];
    // An operator this evaluator does not know could allow more than it thinks: refuse to guess.
    if (compare === undefined) throw new Error(`couldAssume: condition operator ${operator} is not supported`);
    return Object.entries(entries).every(([conditionKey, expected]) => {
      const claim = conditionKey.startsWith(`${GITHUB_OIDC_HOST}:`) ? request.claims[conditionKey.slice(GITHUB_OIDC_HOST.length + 1)] : undefined;
      // A key absent from the request never satisfies a String condition.
      return claim !== undefined && asList(expected).some((e) => compare(e, claim));
    });
  });
}

/** Could a token with these claims assume a role with this trust policy? An explicit Deny wins. */
export function couldAssume(policy: PolicyDocument, request: WebIdentityRequest): boolean {
  const applying = policy.Statement.filter((s) => statementApplies(s, request));
  return applying.some((s) => s.Effect === "Allow") && !applying.some((s) => s.Effect === "Deny");
}
