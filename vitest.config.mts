import { readFileSync } from "node:fs";
import { defineConfig, type Plugin } from "vitest/config";

/**
 * @actions/workflow-parser imports its JSON schema without `with { type: "json" }`, which Node
 * refuses, so Vite loads it (`server.deps.inline`); its source maps name sources the package does
 * not ship, and Vite would warn once per file: load its files without the map comment.
 */
const workflowParserWithoutSourceMaps: Plugin = {
  name: "workflow-parser-without-source-maps",
  load(id: string) {
    if (!/[\\/]@actions[\\/]workflow-parser[\\/]dist[\\/].*\.js$/.test(id)) return null;
    return readFileSync(id, "utf8").replace(/^\/\/# sourceMappingURL=.*$/m, "");
  },
};

export default defineConfig({
  plugins: [workflowParserWithoutSourceMaps],
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // One DynamoDB Local (Amazon's own, on Java) for the whole run; each file makes its own table.
    globalSetup: ["test/setup/dynamodb-local.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Infra mock tests mutate Pulumi's global runtime state: isolate each file in its own fork.
    pool: "forks",
    // Two files at a time: most files wait on child processes, sockets and DELETE /me's fence rather
    // than the CPU, and Vitest's default on a 2-core machine (CPUs − 1) runs them one by one.
    maxWorkers: 2,
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});
