const running = new Set();

/** Kills every child still running: a child's IPC channel would otherwise keep this process alive. */
export function killChildren() {
  for (const child of running) child.kill("SIGKILL");
}

process.on("exit", killChildren);

/** Remembers a child process until it exits, so that the benchmark never leaves one behind. */
export function trackChild(child) {
  running.add(child);
  child.once("exit", () => running.delete(child));
}

/** Resolves with the child's exit code; resolves at once if it has already exited. */
export function exitOf(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}
