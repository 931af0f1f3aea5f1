/**
 * The prod stack file with the other branches switched: several CORS origins, the region's
 * CloudWatch role already present (`existing`), MFA off, ARM tasks, a custom stage name, one NAT
 * gateway (`Single`: tasks still private, no public IP).
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
});
