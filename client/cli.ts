/** Entry point of `npm run cli -- <command>`. */
import { runCli } from "./cli-main";

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
