import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Copies SQLite's write-ahead log back into the database file on a worker thread. A checkpoint writes
 * every page changed since the last one and syncs both files; run by SQLite itself at a COMMIT, it
 * would stop Node's only thread for that long. The worker has its own connection and runs a PASSIVE
 * checkpoint, which never blocks the writer, when told that something was written, at most once per
 * `intervalMs`. The main connection keeps a high `wal_autocheckpoint` as a backstop: should the worker
 * fall behind, the log is still bounded.
 */
export class Checkpointer {
  readonly #databaseFile: string;
  #worker: Worker | undefined;
  readonly #intervalMs: number;
  #running = false;
  #pending = false;
  #lastStartedAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly stats = { checkpoints: 0, pagesCopied: 0, failures: 0 };

  constructor(databaseFile: string, intervalMs = 50) {
    this.#databaseFile = databaseFile;
    this.#intervalMs = intervalMs;
  }

  /** The worker starts with the first checkpoint, so that a process that never writes has none. */
  #workerThread(): Worker {
    if (this.#worker) return this.#worker;
    const betterSqlite = createRequire(import.meta.url).resolve("better-sqlite3");
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: { betterSqlite, databaseFile: this.#databaseFile },
    });
    worker.unref();
    worker.on("message", (result: CheckpointResult) => this.#finished(result));
    worker.on("error", () => {
      // The backstop (SQLite's own checkpoints on the main connection) keeps the log bounded.
      this.stats.failures++;
      this.#closed = true;
    });
    this.#worker = worker;
    return worker;
  }

  /** Something was committed: a checkpoint runs soon. */
  written(): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#pending = true;
      return;
    }
    if (this.#timer) return;
    const wait = this.#lastStartedAt + this.#intervalMs - Date.now();
    if (wait <= 0) this.#start();
    else this.#timer = setTimeout(() => this.#start(), wait).unref();
  }

  /** Closes the worker's connection (before the main one, which then checkpoints as the last). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    const worker = this.#worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    worker.postMessage("close");
    await exited;
  }

  #start(): void {
    this.#timer = undefined;
    if (this.#closed) return;
    this.#running = true;
    this.#pending = false;
    this.#lastStartedAt = Date.now();
    this.#workerThread().postMessage("checkpoint");
  }

  #finished(result: CheckpointResult): void {
    this.#running = false;
    if (result.ok) {
      this.stats.checkpoints++;
      this.stats.pagesCopied += result.checkpointed;
    } else {
      this.stats.failures++;
    }
    if (this.#pending) this.written();
  }
}

type CheckpointResult = { ok: true; log: number; checkpointed: number } | { ok: false; error: string };

// The worker is a script of its own (no module to bundle): a connection that checkpoints when asked.
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.betterSqlite);
const db = new Database(workerData.databaseFile);
db.pragma("synchronous = NORMAL");
db.pragma("busy_timeout = 0");
parentPort.on("message", (message) => {
  if (message === "close") {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [result] = db.pragma("wal_checkpoint(PASSIVE)");
    parentPort.postMessage({ ok: true, log: result.log, checkpointed: result.checkpointed });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: String(error) });
  }
});
`;
