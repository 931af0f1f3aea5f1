import { defineConfig } from "vitest/config";

export default defineConfig({
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
  },
});
