/** The real program loaded with Pulumi.prod.yaml's config, checked against DESIGN.md's Infra invariants. */
import { describeInvariants } from "./invariants";
import { readStackConfig } from "./mocks";

describeInvariants("prod", readStackConfig("prod"));
