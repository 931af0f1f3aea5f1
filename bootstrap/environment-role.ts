/**
 * The role one GitHub environment's jobs assume: trusted by GitHub's OIDC provider for exactly one
 * repository and one environment, with a managed policy and/or an inline policy.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BOOTSTRAP_ROLE_PATH, type PermissionPolicy } from "./role-permissions";
import { githubTrustPolicy } from "./trust-policy";

export interface EnvironmentRoleArgs {
  readonly providerArn: pulumi.Input<string>;
  /** owner/repo. */
  readonly repository: string;
  /** The GitHub environment whose jobs may assume the role. */
  readonly environment: string;
  readonly description: string;
  readonly managedPolicyArns?: readonly string[];
  readonly inlinePolicy?: PermissionPolicy;
}

export class EnvironmentRole extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: EnvironmentRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("user-aware-api-bootstrap:github:EnvironmentRole", name, {}, opts);
    this.role = new aws.iam.Role(
      name,
      {
        path: BOOTSTRAP_ROLE_PATH,
        description: args.description,
        assumeRolePolicy: pulumi.output(args.providerArn).apply((arn) => JSON.stringify(githubTrustPolicy(arn, args.repository, args.environment))),
        maxSessionDuration: 3600,
        tags: { "github-repository": args.repository, "github-environment": args.environment },
      },
      { parent: this },
    );
    (args.managedPolicyArns ?? []).forEach((policyArn, i) => {
      new aws.iam.RolePolicyAttachment(`${name}-managed-${i}`, { role: this.role.name, policyArn }, { parent: this });
    });
    if (args.inlinePolicy !== undefined) {
      new aws.iam.RolePolicy(`${name}-inline`, { role: this.role.name, policy: JSON.stringify(args.inlinePolicy) }, { parent: this });
    }
    this.arn = this.role.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
