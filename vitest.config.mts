import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Infra mock tests mutate Pulumi's global runtime state: isolate each file in its own fork.
    pool: "forks",
  },
});
