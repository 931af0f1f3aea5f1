/**
 * Stop when the launcher is gone. `npm run dev` runs the orchestrator as npm's direct child
 * (`exec` in the script), so npm's own forwarding brings SIGINT and SIGTERM here; but a launcher
 * killed by a signal npm does not forward (SIGHUP) or cannot catch (SIGKILL) leaves us orphaned,
 * holding every port. Orphans are re-parented (to init or a subreaper), so a changed `ppid` — or
 * a launcher pid that no longer exists — means nobody is left to stop us.
 */

export interface ParentWatch {
  stop(): void;
}

/** Calls `onGone` once, within about `intervalMs`, after the parent process has exited. */
export function watchParent(onGone: (parentPid: number) => void, intervalMs = 250): ParentWatch {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent && exists(parent)) return;
    clearInterval(timer);
    onGone(parent);
  }, intervalMs);
  // The watch alone must not keep the process alive.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
