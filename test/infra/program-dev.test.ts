/** The real program loaded with Pulumi.dev.yaml's config, checked against DESIGN.md's Infra invariants. */
import { describeInvariants } from "./invariants";
import { readStackConfig } from "./mocks";

describeInvariants("dev", readStackConfig("dev"));
