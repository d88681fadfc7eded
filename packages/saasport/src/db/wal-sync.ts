import { close, closeSync, fdatasync, fsyncSync, openSync } from "node:fs";
import { dirname } from "node:path";

/** Flushes a file to the disk off the event loop; calls back when it is durable. */
export type SyncFile = (done: (error: Error | null) => void) => void;

/**
 * Makes SQLite's write-ahead log durable without blocking the event loop. The connection runs with
 * `synchronous=NORMAL`: a COMMIT writes its frames to the log and returns; `durable()` then resolves once
 * an fdatasync of the log that started after that COMMIT has finished. Syncs run one at a time on
 * libuv's thread pool, and every commit made while one runs waits for the next, so one flush serves all
 * the commits made meanwhile, and the loop goes on working during it.
 */
export class WalSync {
  readonly #sync: SyncFile;
  #running = false;
  /** Waiting for the sync after the running one. */
  #waiting: Array<{ resolve(): void; reject(error: Error): void }> = [];
  /** Waiting for the running sync. */
  #current: Array<{ resolve(): void; reject(error: Error): void }> = [];
  syncs = 0;

  constructor(sync: SyncFile) {
    this.#sync = sync;
  }

  /** Resolves when everything written to the log before this call is on disk. */
  durable(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      if (!this.#running) this.#start();
    });
  }

  /**
   * Resolves once every commit made so far is durable, without asking for a sync of its own: undefined
   * when none is waiting for one. A reader outside a transaction awaits it, so that what it read can
   * never be undone by a power cut after it was seen.
   */
  whenCommittedDurable(): Promise<void> | undefined {
    if (this.#waiting.length > 0) return this.durable();
    if (this.#running) return new Promise((resolve, reject) => this.#current.push({ resolve, reject }));
    return undefined;
  }

  /** Resolves when no sync is running or waiting to run (before the log file is closed). */
  async idle(): Promise<void> {
    while (this.#running)
      await new Promise<void>((resolve) => this.#current.push({ resolve, reject: () => resolve() }));
  }

  #start(): void {
    this.#running = true;
    this.#current = this.#waiting;
    this.#waiting = [];
    this.syncs++;
    this.#sync((error) => {
      const finished = this.#current;
      this.#current = [];
      this.#running = false;
      for (const waiter of finished) {
        if (error) waiter.reject(error);
        else waiter.resolve();
      }
      if (this.#waiting.length > 0) this.#start();
    });
  }
}

/**
 * Syncs the SQLite file's write-ahead log (`<file>-wal`), opened on first use: SQLite creates the log
 * with the first access in WAL mode and keeps the same file (it restarts it from the top, or truncates
 * it) until the last connection closes. The first use also syncs the directory, so that the log's own
 * entry survives a power cut (SQLite would do that at its first sync of the log, at a checkpoint).
 */
export function walFileSync(databaseFile: string): { sync: SyncFile; close(): void } {
  let fd: number | undefined;
  return {
    sync(done) {
      if (fd === undefined) {
        try {
          fd = openSync(`${databaseFile}-wal`, "r");
          syncDirectory(dirname(databaseFile));
        } catch (error) {
          // No log yet means nothing was ever written to one.
          done((error as NodeJS.ErrnoException).code === "ENOENT" ? null : (error as Error));
          return;
        }
      }
      fdatasync(fd, done);
    },
    close() {
      if (fd !== undefined) close(fd, () => {});
      fd = undefined;
    },
  };
}

function syncDirectory(directory: string): void {
  const fd = openSync(directory, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
