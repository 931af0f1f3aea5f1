/**
 * The policy pack's entry point, as the Pulumi CLI loads it (`pulumi preview --policy-pack policy`):
 * constructing the PolicyPack starts the analyzer server the CLI talks to. See docs/security.md.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, {
  description:
    "user-aware-api security invariants: Cognito on every route, nothing reachable from the internet but the API, least-privilege task role, protected data in production.",
  enforcementLevel: "mandatory",
  policies,
});
