const running = new Set();

process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

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
