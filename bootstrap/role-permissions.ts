/**
 * What each GitHub environment's role may do in the account.
 *
 * Deploy role (environment `<stack>`): what `pulumi up` of the app's program needs — it creates a
 * VPC (subnets, route tables, NAT gateways, EIPs, security groups, a DynamoDB gateway endpoint), an
 * ECS cluster and Fargate service with its image in ECR, an internal ALB, an API Gateway REST API
 * (stage, VPC link, authorizer, optional custom domain and the region's CloudWatch role setting),
 * a Cognito user pool, a DynamoDB table, CloudWatch logs, alarms and a dashboard, an SNS topic,
 * a WAF web ACL, Application Auto Scaling, Route 53 alias records, and the IAM roles of the tasks
 * and of API Gateway's logging. Each of those services is allowed whole (the provider reads,
 * creates, tags, updates and deletes with many actions each, which change between provider
 * releases), in the account's region only; IAM is limited to roles and their policies, `PassRole`
 * only to ECS tasks and API Gateway, and nothing at all on the bootstrap's own roles and provider
 * (a deploy cannot widen its own trust). docs/operations.md "Deploy role permissions" says how to
 * narrow it further.
 *
 * Preview role (environment `<stack>-preview`: pull request previews run the PR's code, nightly
 * drift): AWS's ReadOnlyAccess, which a refresh needs to read every resource back, minus the
 * reads of data (table items, users, log events, secrets, objects).
 */
import type { PolicyDocument as TrustDocument } from "./trust-policy";

/** Where the bootstrap puts its roles: the deploy roles may not touch anything under it. */
export const BOOTSTRAP_ROLE_PATH = "/github-actions/";

export const READ_ONLY_ACCESS_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess";

export interface PermissionStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PermissionPolicy {
  readonly Version: TrustDocument["Version"];
  readonly Statement: readonly PermissionStatement[];
}

/** The regional services the program creates resources in (see the list above). */
export const DEPLOYED_SERVICES = [
  "apigateway",
  "application-autoscaling",
  "cloudwatch",
  "cognito-idp",
  "dynamodb",
  "ec2",
  "ecr",
  "ecs",
  "elasticloadbalancing",
  "logs",
  "sns",
  "wafv2",
] as const;

export function deployPolicy(region: string): PermissionPolicy {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AppServicesInTheStackRegion",
        Effect: "Allow",
        Action: DEPLOYED_SERVICES.map((s) => `${s}:*`),
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": region } },
      },
      {
        // IAM is global: the task roles, the task execution role and API Gateway's CloudWatch role.
        Sid: "AppRoles",
        Effect: "Allow",
        Action: [
          "iam:CreateRole",
          "iam:DeleteRole",
          "iam:GetRole",
          "iam:UpdateRole",
          "iam:UpdateRoleDescription",
          "iam:UpdateAssumeRolePolicy",
          "iam:TagRole",
          "iam:UntagRole",
          "iam:ListRoleTags",
          "iam:PutRolePolicy",
          "iam:GetRolePolicy",
          "iam:DeleteRolePolicy",
          "iam:ListRolePolicies",
          "iam:AttachRolePolicy",
          "iam:DetachRolePolicy",
          "iam:ListAttachedRolePolicies",
          "iam:ListInstanceProfilesForRole",
          "iam:GetPolicy",
          "iam:GetPolicyVersion",
        ],
        Resource: "*",
      },
      {
        Sid: "PassRolesToTasksAndApiGateway",
        Effect: "Allow",
        Action: ["iam:PassRole"],
        Resource: "*",
        Condition: { StringEquals: { "iam:PassedToService": ["ecs-tasks.amazonaws.com", "apigateway.amazonaws.com"] } },
      },
      {
        // The first ECS service, load balancer, scaling target or VPC link in an account creates
        // its service's service-linked role.
        Sid: "ServiceLinkedRoles",
        Effect: "Allow",
        Action: ["iam:CreateServiceLinkedRole"],
        Resource: "*",
        Condition: {
          StringEquals: {
            "iam:AWSServiceName": [
              "ecs.amazonaws.com",
              "elasticloadbalancing.amazonaws.com",
              "ecs.application-autoscaling.amazonaws.com",
              "ops.apigateway.amazonaws.com",
            ],
          },
        },
      },
      {
        // The custom domain names an existing ACM certificate: read it, never change it.
        Sid: "CertificateReads",
        Effect: "Allow",
        Action: ["acm:DescribeCertificate", "acm:ListCertificates", "acm:ListTagsForCertificate"],
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": region } },
      },
      {
        // Route 53 is global: the custom domain's A/AAAA alias records in an existing zone.
        Sid: "CustomDomainRecords",
        Effect: "Allow",
        Action: [
          "route53:ChangeResourceRecordSets",
          "route53:GetChange",
          "route53:GetHostedZone",
          "route53:ListResourceRecordSets",
          "route53:ListTagsForResource",
        ],
        Resource: "*",
      },
      {
        Sid: "NotTheBootstrapsOwnRolesOrProvider",
        Effect: "Deny",
        Action: ["iam:*"],
        Resource: [`arn:aws:iam::*:role${BOOTSTRAP_ROLE_PATH}*`, "arn:aws:iam::*:oidc-provider/*"],
      },
      {
        // No long-lived credentials can be made from a deploy.
        Sid: "NoUsersOrKeys",
        Effect: "Deny",
        Action: [
          "iam:CreateUser",
          "iam:CreateAccessKey",
          "iam:CreateLoginProfile",
          "iam:UpdateLoginProfile",
          "iam:AddUserToGroup",
          "iam:AttachUserPolicy",
          "iam:PutUserPolicy",
        ],
        Resource: "*",
      },
    ],
  };
}

/** ReadOnlyAccess (attached separately) without the data: what a refresh never needs. */
export function previewDenyDataPolicy(): PermissionPolicy {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "NoDataReads",
        Effect: "Deny",
        Action: [
          "dynamodb:GetItem",
          "dynamodb:BatchGetItem",
          "dynamodb:Query",
          "dynamodb:Scan",
          "dynamodb:GetRecords",
          "dynamodb:PartiQLSelect",
          "cognito-idp:AdminGetUser",
          "cognito-idp:ListUsers",
          "cognito-idp:ListUsersInGroup",
          "logs:GetLogEvents",
          "logs:FilterLogEvents",
          "logs:StartQuery",
          "logs:GetQueryResults",
          "logs:StartLiveTail",
          "s3:GetObject",
          "s3:GetObjectVersion",
          "secretsmanager:GetSecretValue",
          "ssm:GetParameter",
          "ssm:GetParameters",
          "ssm:GetParametersByPath",
        ],
        Resource: "*",
      },
    ],
  };
}
