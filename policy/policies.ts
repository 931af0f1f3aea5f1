/**
 * Every policy of the pack, in one list: index.ts serves them to the Pulumi CLI, and
 * test/infra runs the same list over the program's resources under mocks.
 */
import type { Policies } from "@pulumi/policy";
import { apiPolicies } from "./api";
import { dataPolicies } from "./data";
import { iamPolicies } from "./iam";
import { identityPolicies } from "./identity";
import { networkPolicies } from "./network";
import { stackPolicies } from "./stack";

/** The pack's name: what `pulumi preview` prints next to each violation. */
export const PACK_NAME = "user-aware-api-security";

export const policies: Policies = [...apiPolicies, ...networkPolicies, ...iamPolicies, ...identityPolicies, ...dataPolicies, ...stackPolicies];
