import { fork } from "node:child_process";
import { join } from "node:path";
import { exitOf, trackChild } from "./child-processes.mjs";
import { repositoryRoot } from "./saasport-dist.mjs";

/** Starts bare-http-server.mjs in its own process, answering with `body`; resolves once it listens. */
export async function startBareHttpServer(body) {
  const child = fork(join(repositoryRoot, "bench/bare-http-server.mjs"), [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  trackChild(child);
  const port = await new Promise((resolve, reject) => {
    child.once("message", (message) => resolve(message.port));
    child.once("exit", (code) =>
      reject(new Error(`the bare node:http server exited (code ${code}) before listening`)),
    );
    child.send(body);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      child.disconnect();
      await exitOf(child);
    },
  };
}
