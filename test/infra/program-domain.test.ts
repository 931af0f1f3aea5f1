/**
 * The prod stack file with a custom domain and a Route 53 zone: domain
 * name, root mapping, A/AAAA aliases, execute-api endpoint off, apiUrl = https://<domain>.
 */
import { describeInvariants } from "./invariants";
import { readStackConfig } from "./mocks";

describeInvariants("prod", {
  ...readStackConfig("prod"),
  "user-aware-api:domainName": "api.example.com",
  "user-aware-api:domainCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789",
  "user-aware-api:domainHostedZoneId": "Z0123456789ABCDEFGHIJ",
  "user-aware-api:alarmEmail": "oncall@example.com",
});
