/**
 * The prod stack file with the other branches switched: several CORS origins, the region's
 * CloudWatch role already present (`existing`), MFA off, ARM tasks, a custom stage name, one NAT
 * gateway (`Single`: tasks still private, no public IP), and the pool's email through SES (the
 * keys Pulumi.prod.yaml documents as required before launch, in place of its waiver).
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
});
