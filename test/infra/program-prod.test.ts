/** The real program loaded with Pulumi.prod.yaml's config, checked against the infrastructure invariants (docs/architecture.md#infrastructure-invariants) and the policy pack. */
import { describeInvariants } from "./invariants";
import { readStackConfig } from "./mocks";
import { itRefusesEachMutation, MUTATIONS, PROD_MUTATIONS } from "./policy-pack";

describeInvariants("prod", readStackConfig("prod"));
itRefusesEachMutation("prod", [...MUTATIONS, ...PROD_MUTATIONS]);
