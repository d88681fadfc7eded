import { Kysely, type KyselyConfig, sql, type Transaction, type TransactionBuilder } from "kysely";

type Work<DB> = (trx: Transaction<DB>) => Promise<unknown>;

interface Member<DB> {
  work: Work<DB>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface GroupCommitStats {
  /** Transactions that committed (each a caller's `transaction().execute`). */
  committedMembers: number;
  /** Durable commits that carried them. */
  committedBatches: number;
}

/**
 * Kysely on SQLite with group commit. SQLite has one writer and, with `synchronous=FULL`, every COMMIT
 * waits for the disk, blocking Node's only thread; under concurrent requests that wait, not the work,
 * limits the write rate. Here the transactions requested while one is running are run one after another
 * inside a single database transaction, each within its own SAVEPOINT, and committed together: a caller
 * whose work throws has exactly its own changes rolled back (its promise rejects at once), the others
 * resolve only after the shared COMMIT is durable, and if that COMMIT fails they all reject. So every
 * acknowledged write is on disk, as before, and one disk wait serves many requests.
 *
 * Caveat shared with plain SQLite transactions: the work must only use the `trx` it is given.
 */
export class GroupCommitKysely<DB> extends Kysely<DB> {
  readonly #queue: Member<DB>[] = [];
  readonly #maxBatch: number;
  #draining = false;
  readonly stats: GroupCommitStats = { committedMembers: 0, committedBatches: 0 };

  constructor(config: KyselyConfig, maxBatch = 256) {
    super(config);
    this.#maxBatch = maxBatch;
  }

  override transaction(): TransactionBuilder<DB> {
    const plain = super.transaction();
    const batched = {
      execute: <T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> =>
        new Promise<T>((resolve, reject) => {
          this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
          this.#scheduleDrain();
        }),
      // A transaction with its own settings runs on its own, as Kysely would run it.
      setIsolationLevel: (level: Parameters<TransactionBuilder<DB>["setIsolationLevel"]>[0]) =>
        plain.setIsolationLevel(level),
      setAccessMode: (mode: Parameters<TransactionBuilder<DB>["setAccessMode"]>[0]) =>
        plain.setAccessMode(mode),
    };
    // Callers only use these three methods; TransactionBuilder's private fields make it nominal.
    return batched as unknown as TransactionBuilder<DB>;
  }

  /**
   * The batch starts in the event loop's check phase, after the poll phase has taken in every request
   * that arrived meanwhile, so that those join it.
   */
  #scheduleDrain(): void {
    if (this.#draining) return;
    this.#draining = true;
    setImmediate(() => void this.#drain());
  }

  async #drain(): Promise<void> {
    const members: Member<DB>[] = [];
    const succeeded: Array<{ member: Member<DB>; value: unknown }> = [];
    try {
      await super.transaction().execute(async (trx) => {
        while (this.#queue.length > 0 && members.length < this.#maxBatch) {
          const member = this.#queue.shift() as Member<DB>;
          members.push(member);
          await sql`savepoint group_member`.execute(trx);
          try {
            const value = await member.work(trx);
            await sql`release group_member`.execute(trx);
            succeeded.push({ member, value });
          } catch (error) {
            // Throws (failing the whole batch) if the database already ended the transaction.
            await sql`rollback to group_member`.execute(trx);
            await sql`release group_member`.execute(trx);
            member.reject(error);
          }
        }
      });
      this.stats.committedBatches++;
      this.stats.committedMembers += succeeded.length;
      for (const { member, value } of succeeded) member.resolve(value);
    } catch (error) {
      // BEGIN, a savepoint or the COMMIT failed: nothing of this batch is durable. (Rejecting a member
      // that already failed on its own changes nothing.)
      for (const member of members) member.reject(error);
    } finally {
      this.#draining = false;
      if (this.#queue.length > 0) this.#scheduleDrain();
    }
  }
}
