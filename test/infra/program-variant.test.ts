/**
 * The prod stack file with the other branches switched: several CORS origins, the region's
 * CloudWatch role already present (`existing`), MFA off, ARM tasks, a custom stage name, one NAT
 * gateway (`Single`: tasks still private, no public IP), and the pool's email through SES (the
 * keys Pulumi.prod.yaml documents as required before launch, in place of its waiver); a custom
 * domain without a hosted zone (DNS elsewhere: output domainTarget), WAF with a 1-minute window.
 */
import { describeInvariants } from "./invariants";
import { readStackConfig } from "./mocks";

describeInvariants("prod", {
  ...readStackConfig("prod"),
  "user-aware-api:corsAllowedOrigins": JSON.stringify(["https://app.example.com", "http://localhost:8081"]),
  "user-aware-api:apiGatewayAccountRole": "existing",
  "user-aware-api:mfa": "OFF",
  "user-aware-api:cpuArchitecture": "ARM64",
  "user-aware-api:taskCpu": "1024",
  "user-aware-api:taskMemory": "3072",
  "user-aware-api:stageName": "v1",
  "user-aware-api:authorizerCacheTtlSeconds": "0",
  "user-aware-api:natGateways": "Single",
  "user-aware-api:allowCognitoDefaultEmail": "false",
  "user-aware-api:emailSesIdentityArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
  "user-aware-api:emailFrom": "Example App <noreply@example.com>",
  "user-aware-api:emailReplyTo": "support@example.com",
  "user-aware-api:domainName": "notes-api.example.org",
  "user-aware-api:domainCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/ffffffff-0000-1111-2222-333333333333",
  "user-aware-api:wafEvaluationWindowSeconds": "60",
  "user-aware-api:wafIpRateLimit": "500",
  "user-aware-api:wafTokenRateLimit": "100",
  "user-aware-api:alarmApiP99LatencyMs": "1200",
});
