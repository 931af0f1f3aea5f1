/** The real program loaded with Pulumi.dev.yaml's config, checked against the infrastructure invariants (docs/architecture.md#infrastructure-invariants) and the policy pack. */
import { describeInvariants } from "./invariants";
import { readStackConfig } from "./mocks";
import { itFailsClosedWithoutPolicyConfig, itRefusesEachMutation, MUTATIONS } from "./policy-pack";

describeInvariants("dev", readStackConfig("dev"));
itRefusesEachMutation("dev", MUTATIONS);
itFailsClosedWithoutPolicyConfig("dev");
