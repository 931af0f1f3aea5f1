/** `npm run openapi`: writes openapi.json at the repository root from the generator (document.ts). */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { openApiJson } from "./document";

export const OPENAPI_FILE = join(__dirname, "..", "..", "openapi.json");

if (require.main === module) {
  writeFileSync(OPENAPI_FILE, openApiJson());
  process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
}
