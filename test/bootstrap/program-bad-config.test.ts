/** The bootstrap validates its config before creating anything. */
import { expect, it } from "vitest";
import { readBootstrapStackFile, recorded, setupBootstrapMocks } from "./bootstrap-mocks";

it("refuses a wildcard repository and a bad stack name, naming both keys, before creating anything", async () => {
  await setupBootstrapMocks({
    ...readBootstrapStackFile(),
    "user-aware-api-bootstrap:githubRepository": "example-org/*",
    "user-aware-api-bootstrap:stacks": JSON.stringify(["dev", "prod*"]),
  });
  const load = import("../../bootstrap/index");
  await expect(load).rejects.toThrow(/user-aware-api-bootstrap:githubRepository: "example-org\/\*" is not owner\/repo/);
  await expect(load).rejects.toThrow(/user-aware-api-bootstrap:stacks: "prod\*" is not a stack name/);
  await new Promise((r) => setTimeout(r, 50));
  expect(recorded).toEqual([]);
});
