import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { exitOf, trackChild } from "./child-processes.mjs";
import { say } from "./progress.mjs";
import { cliScript } from "./saasport-dist.mjs";

const startDeadlineMs = 60_000;
const healthPollMs = 5;
const stopDeadlineMs = 15_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The environment without settings that would override the flags given to the child. */
function childEnvironment() {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== "DATABASE_URL" && !name.startsWith("SAASPORT_")),
  );
  return { ...env, SAASPORT_DEMO_CATALOG: "false", SAASPORT_LOG_LEVEL: "warn" };
}

/** Keeps draining a child's output, remembering its last few kilobytes for error messages. */
function tailOf(stream) {
  let tail = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk) => {
    tail = (tail + chunk).slice(-4000);
  });
  return () => tail;
}

/** Resident set size of a process, from /proc/<pid>/status. */
export function residentBytes(pid) {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`No VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

async function waitForHealthy(url, child, output) {
  const deadline = performance.now() + startDeadlineMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `Saasport exited (${child.exitCode ?? child.signalCode}) before answering /healthz:\n${output()}`,
      );
    }
    try {
      const response = await fetch(`${url}/healthz`);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(healthPollMs);
  }
  throw new Error(`Saasport did not answer /healthz with 200 within ${startDeadlineMs} ms:\n${output()}`);
}

/**
 * Spawns `saasport serve` from the compiled dist on a free loopback port and waits for the first 200
 * of /healthz; `startMs` is the time from spawn to that answer. With `profileDir`, the child runs
 * with --cpu-prof and writes its profile there when stopped.
 */
export async function startSaasportProcess({ database, profileDir }) {
  const port = await freePort();
  const args = [
    ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
    cliScript,
    "serve",
    "--port",
    String(port),
    "--data",
    database.dataDir,
    ...(database.databaseUrl ? ["--database-url", database.databaseUrl] : []),
  ];
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, args, { env: childEnvironment(), stdio: ["ignore", "pipe", "pipe"] });
  trackChild(child);
  const stdout = tailOf(child.stdout);
  const stderr = tailOf(child.stderr);
  const output = () => `${stdout()}${stderr()}`;
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealthy(url, child, output);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    url,
    pid: child.pid,
    startMs: performance.now() - spawnedAt,
    residentBytes: () => residentBytes(child.pid),
    output,
    async stop() {
      child.kill("SIGTERM");
      const stopped = await Promise.race([
        exitOf(child).then(() => true),
        sleep(stopDeadlineMs).then(() => false),
      ]);
      if (!stopped) {
        say(`Saasport did not stop within ${stopDeadlineMs / 1000} s of SIGTERM; killing it`);
        child.kill("SIGKILL");
        await exitOf(child);
      }
    },
  };
}
