/** `npm test`'s pretest step: without Java ≥ 17 the suite cannot start DynamoDB Local; say what to install, in one line. */
import { JavaMissingError, requireJava } from "./java";

try {
  requireJava();
} catch (err) {
  if (!(err instanceof JavaMissingError)) throw err;
  process.stderr.write(`npm test: ${err.message}\n`);
  process.exit(1);
}
