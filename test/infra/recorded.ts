/** Resource type tokens the invariants look for, and helpers to pick recorded resources. */
import { expect } from "vitest";
import { outputsFor, ofType, type Recorded } from "./mocks";

export const T = {
  method: "aws:apigateway/method:Method",
  integration: "aws:apigateway/integration:Integration",
  resource: "aws:apigateway/resource:Resource",
  restApi: "aws:apigateway/restApi:RestApi",
  authorizer: "aws:apigateway/authorizer:Authorizer",
  response: "aws:apigateway/response:Response",
  deployment: "aws:apigateway/deployment:Deployment",
  stage: "aws:apigateway/stage:Stage",
  methodSettings: "aws:apigateway/methodSettings:MethodSettings",
  account: "aws:apigateway/account:Account",
  vpcLink: "aws:apigatewayv2/vpcLink:VpcLink",
  pool: "aws:cognito/userPool:UserPool",
  client: "aws:cognito/userPoolClient:UserPoolClient",
  table: "aws:dynamodb/table:Table",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  tg: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  vpc: "awsx:ec2:Vpc",
  vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  cluster: "aws:ecs/cluster:Cluster",
  capacityProviders: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
  fargate: "awsx:ecs:FargateService",
  image: "awsx:ecr:Image",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  role: "aws:iam/role:Role",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  scalingTarget: "aws:appautoscaling/target:Target",
  scalingPolicy: "aws:appautoscaling/policy:Policy",
  domainName: "aws:apigateway/domainName:DomainName",
  basePathMapping: "aws:apigateway/basePathMapping:BasePathMapping",
  record: "aws:route53/record:Record",
  webAcl: "aws:wafv2/webAcl:WebAcl",
  webAclAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
  topic: "aws:sns/topic:Topic",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  topicSubscription: "aws:sns/topicSubscription:TopicSubscription",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  logMetricFilter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
} as const;

export const idOf = (r: Recorded) => `${r.name}-id`;
export const outputOf = (r: Recorded, key: string) => outputsFor(r.type, r.name, r.inputs)[key] as string;

/** Exactly one resource of a type. */
export function one(type: string): Recorded {
  const all = ofType(type);
  expect(
    all.map((r) => r.urn),
    `exactly one ${type}`,
  ).toHaveLength(1);
  return all[0] as Recorded;
}
