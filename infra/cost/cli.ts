/** Entry point of `npm run cost -- --stack <name>` (see cli-main.ts). */
import { runCostCli } from "./cli-main";

process.exitCode = runCostCli(process.argv.slice(2));
