/** Entry point of `npm run app-config -- [--outputs <file>] [--out <file>]`. */
import { runAppConfig } from "./app-config";

void runAppConfig(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
