import { Kysely, type KyselyConfig, sql, type Transaction } from "kysely";

type Work<DB> = (trx: Transaction<DB>) => Promise<unknown>;

interface Member<DB> {
  work: Work<DB>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface GroupCommitStats {
  /** Grouped transactions that committed (each a caller's `groupedTransaction`). */
  committedMembers: number;
  /** Durable commits that carried them. */
  committedBatches: number;
}

/**
 * Kysely on SQLite with group commit. SQLite has one writer, and each transaction writes every page it
 * changed to the log at its COMMIT; under concurrent requests many small transactions would write the
 * same index pages over and over. Here grouped transactions requested while one is running are run one
 * after another inside a single database transaction, each after the first within its own SAVEPOINT,
 * and committed together: a caller whose work throws has exactly its own changes rolled back (the whole
 * transaction when it was the first), the others resolve only after the shared COMMIT is durable, and if
 * that COMMIT fails they all reject. So every acknowledged write is on disk, and one log write serves
 * many requests.
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

  /**
   * Runs `work` in a transaction that may be shared with others requested meanwhile (see the class
   * comment). For the short transactions of requests; background jobs that already write in large
   * batches use `transaction()` as usual, which runs alone.
   */
  groupedTransaction<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.#scheduleDrain();
    });
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

  /**
   * Once a batch has taken in its members, the next may start: it waits for the connection, which the
   * driver hands on as soon as this batch's COMMIT is written, while this one waits for the disk.
   */
  #handOver(): void {
    this.#draining = false;
    if (this.#queue.length > 0) this.#scheduleDrain();
  }

  async #drain(): Promise<void> {
    const members: Member<DB>[] = [];
    const succeeded: Array<{ member: Member<DB>; value: unknown }> = [];
    let handedOver = false;
    try {
      await this.transaction().execute(async (trx) => {
        while (this.#queue.length > 0 && members.length < this.#maxBatch) {
          const member = this.#queue.shift() as Member<DB>;
          members.push(member);
          // The first member needs no savepoint: rolling the transaction back undoes exactly its work.
          // Savepoints are not free: SQLite copies each page first changed under one to a sub-journal.
          const first = members.length === 1;
          if (!first) await sql`savepoint group_member`.execute(trx);
          try {
            const value = await member.work(trx);
            if (!first) await sql`release group_member`.execute(trx);
            succeeded.push({ member, value });
          } catch (error) {
            if (first) throw new FirstMemberFailed(error);
            // Throws (failing the whole batch) if the database already ended the transaction.
            await sql`rollback to group_member`.execute(trx);
            await sql`release group_member`.execute(trx);
            member.reject(error);
          }
        }
        handedOver = true;
        this.#handOver();
      });
      this.stats.committedBatches++;
      this.stats.committedMembers += succeeded.length;
      for (const { member, value } of succeeded) member.resolve(value);
    } catch (error) {
      if (error instanceof FirstMemberFailed) {
        members[0]?.reject(error.reason);
      } else {
        // BEGIN, a savepoint or the COMMIT failed: nothing of this batch is durable. (Rejecting a member
        // that already failed on its own changes nothing.)
        for (const member of members) member.reject(error);
      }
    } finally {
      if (!handedOver) this.#handOver();
    }
  }
}

/** The first member of a batch failed: the transaction is rolled back whole, and the member told why. */
class FirstMemberFailed extends Error {
  constructor(readonly reason: unknown) {
    super("the first transaction of a group commit failed");
  }
}

/** A grouped transaction on SQLite (see GroupCommitKysely); a plain one on PostgreSQL. */
export function inGroupedTransaction<DB, T>(
  db: Kysely<DB>,
  work: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  return db instanceof GroupCommitKysely ? db.groupedTransaction(work) : db.transaction().execute(work);
}
