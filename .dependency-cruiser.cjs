/**
 * The architecture as rules (docs/architecture.md#checking-the-architecture), checked by
 * `npm run lint` (`depcruise`). Paths are repository-relative. Type-only imports count like any
 * other (tsPreCompilationDeps): a type is a dependency on the module's shape, and an import loop of
 * types is still a loop.
 */
/** Our own top-level parts; anything else resolved is a package or a Node built-in. */
const OURS = "^(contract|infra|service|local|client|test|bench|policy|bootstrap)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "No import loops anywhere: a loop means two modules are one idea, or one holds a fact the other should own.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "contract-is-the-ground-floor",
      comment: "contract/ is the vocabulary every part shares; it imports nothing of ours outside contract/.",
      severity: "error",
      from: { path: "^contract/" },
      to: { path: OURS, pathNot: "^contract/" },
    },
    {
      name: "service-stands-on-contract-only",
      comment:
        "The service ships alone (service/Dockerfile copies contract/ and service/ only): it never imports infra/, local/, client/, bench/, test/ or policy/.",
      severity: "error",
      from: { path: "^service/" },
      to: { path: "^(infra|local|client|bench|test|policy)/" },
    },
    {
      name: "infra-does-not-import-the-service",
      comment:
        "infra/ describes where the service runs, not how it works: facts both need (routes, table keys, token times, env names) live in contract/. Not even type-only imports: a type from service/ would tie the deployment to the service's internals.",
      severity: "error",
      from: { path: "^infra/" },
      to: { path: "^service/" },
    },
    {
      name: "policy-stands-alone",
      comment:
        "The policy pack is its own Node project (policy/package.json): the Pulumi CLI loads it from policy/ alone, so it imports nothing of ours outside policy/.",
      severity: "error",
      from: { path: "^policy/" },
      to: { path: OURS, pathNot: "^policy/" },
    },
    {
      name: "bootstrap-stands-alone",
      comment:
        "The bootstrap is a Pulumi project of its own (bootstrap/Pulumi.yaml), run once per AWS account by an admin: it imports nothing of ours outside bootstrap/.",
      severity: "error",
      from: { path: "^bootstrap/" },
      to: { path: OURS, pathNot: "^bootstrap/" },
    },
    {
      name: "tests-are-leaves",
      comment: "Only tests (and the bench, which reuses their token and seed helpers) import test/.",
      severity: "error",
      from: { pathNot: "^(test|bench)/" },
      to: { path: "^test/" },
    },
    {
      name: "shipped-code-uses-runtime-dependencies",
      comment:
        "The service, the contract and the Pulumi program run with package.json `dependencies`; a devDependency there works on a developer's machine only.",
      severity: "error",
      from: { path: "^(service/src|contract|infra)/" },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "no-unresolvable-imports",
      comment: "An import that resolves to nothing is a typo or a missing package.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist|\\.data|bench/\\.build)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
  },
};
