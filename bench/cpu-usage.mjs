import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc's CPU times (USER_HZ); 100 on every Linux this runs on. */
const ticksPerSecond = 100;

/** User plus system CPU seconds a process has used, from /proc/<pid>/stat; 0 once it is gone. */
function processCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses; the fields after it are space-separated.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** CPU seconds of every PostgreSQL process on this machine (backends, WAL writer, checkpointer). */
function postgresCpuSeconds() {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let name;
    try {
      name = readFileSync(`/proc/${entry}/comm`, "utf8").trim();
    } catch {
      continue;
    }
    if (name === "postgres") total += processCpuSeconds(entry);
  }
  return total;
}

/**
 * CPU used during a measured run, by Saasport's process, the database's processes (PostgreSQL; SQLite
 * runs inside Saasport) and the load generator (this process). On two shared cores these add up to what
 * one request costs the machine, which moves far less with other work than a rate does.
 */
export function startCpuSample({ serverPid, postgres }) {
  const before = {
    server: processCpuSeconds(serverPid),
    database: postgres ? postgresCpuSeconds() : 0,
    load: process.cpuUsage(),
  };
  return () => {
    const load = process.cpuUsage(before.load);
    return {
      serverSeconds: processCpuSeconds(serverPid) - before.server,
      databaseSeconds: postgres ? postgresCpuSeconds() - before.database : 0,
      loadSeconds: (load.user + load.system) / 1e6,
    };
  };
}

/** "Saasport 61 µs, PostgreSQL 40 µs, load generator 30 µs" per answered request. */
export function describeCpuPerRequest(cpu, answered, postgres, serverName = "Saasport") {
  const micros = (seconds) => `${Math.round((seconds * 1e6) / Math.max(answered, 1))} µs`;
  const parts = [`${serverName} ${micros(cpu.serverSeconds)}`];
  if (postgres) parts.push(`PostgreSQL ${micros(cpu.databaseSeconds)}`);
  parts.push(`load generator ${micros(cpu.loadSeconds)}`);
  return parts.join(", ");
}
