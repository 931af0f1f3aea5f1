// Preloaded (node --require) into every child of the local stack: when the orchestrator dies,
// even by SIGKILL, its end of the IPC channel closes and the child stops itself. No orphans.
"use strict";
if (typeof process.send === "function" && process.channel) {
  process.channel.unref(); // the channel alone must not keep the child alive
  process.on("disconnect", () => {
    process.kill(process.pid, "SIGTERM");
    setTimeout(() => process.exit(1), 5000).unref();
  });
}
