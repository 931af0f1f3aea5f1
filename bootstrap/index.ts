/**
 * The bootstrap program, run once per AWS account by an admin (docs/operations.md "One-time
 * bootstrap"): GitHub's OIDC identity provider and, per app stack served by this account, the role
 * its GitHub environment deploys with and a read-only role for previews and drift checks. Its
 * outputs are what the repository's environments need (vars.AWS_ROLE_ARN).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PREVIEW_SUFFIX, readBootstrapConfig } from "./config";
import { EnvironmentRole } from "./environment-role";
import { deployPolicy, previewDenyDataPolicy, READ_ONLY_ACCESS_ARN } from "./role-permissions";
import { GITHUB_OIDC_URL, STS_AUDIENCE } from "./trust-policy";

const config = readBootstrapConfig();
const region = new pulumi.Config("aws").require("region");

const providerArn: pulumi.Input<string> =
  config.oidcProviderArn ??
  new aws.iam.OpenIdConnectProvider("github", {
    url: GITHUB_OIDC_URL,
    clientIdLists: [STS_AUDIENCE],
    // No thumbprints: IAM validates GitHub's certificate against its own trusted CAs.
  }).arn;

const roles = Object.fromEntries(
  config.stacks.map((stack) => {
    const previewEnvironment = `${stack}${PREVIEW_SUFFIX}`;
    const deploy = new EnvironmentRole(`${stack}-deploy`, {
      providerArn,
      repository: config.repository.fullName,
      environment: stack,
      description: `pulumi up of stack ${stack} from ${config.repository.fullName}'s GitHub environment ${stack}`,
      inlinePolicy: deployPolicy(region),
    });
    const preview = new EnvironmentRole(`${stack}-preview`, {
      providerArn,
      repository: config.repository.fullName,
      environment: previewEnvironment,
      description: `read-only preview and drift check of stack ${stack} from ${config.repository.fullName}'s GitHub environment ${previewEnvironment}`,
      managedPolicyArns: [READ_ONLY_ACCESS_ARN],
      inlinePolicy: previewDenyDataPolicy(),
    });
    return [stack, { [stack]: deploy.arn, [previewEnvironment]: preview.arn }];
  }),
);

export const oidcProviderArn = providerArn;
/** Per stack: GitHub environment name → the role ARN to set as that environment's AWS_ROLE_ARN. */
export const environmentRoleArns = roles;
export const githubRepository = config.repository.fullName;
