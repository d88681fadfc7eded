import type { Kysely } from "kysely";
import type { Database } from "../db/tables.js";
import { toStored } from "../db/time.js";
import type { Clock } from "./clock.js";

/** The global clock's name; other names are test clocks. */
export const globalClock = "";

export interface ClockReading {
  /** "" for the global clock. */
  name: string;
  now: Date;
  offsetMs: number;
}

/**
 * Business time. Every clock is the base clock (real time, or a test's manual clock) plus an offset
 * kept in the `clocks` table, so all processes sharing a database agree on it. Subscriptions run on
 * the global clock unless they belong to a named test clock. Clocks only move forward.
 *
 * Offsets are cached per process and re-read by `refresh()` (the scheduler calls it on every poll),
 * so a clock moved by another process is seen within one poll interval.
 */
export interface ClockService {
  /** Now on the named clock (the global clock by default). */
  now(name?: string): Date;
  /** The global clock as a plain `Clock`. */
  readonly global: Clock;
  refresh(): Promise<void>;
  /** Every clock with its current time; the global clock first. */
  list(): ClockReading[];
  exists(name: string): boolean;
  /** Creates a test clock starting at the global clock's time (no-op when it exists). */
  create(name: string): Promise<ClockReading>;
  /** Moves a clock forward by `ms`. */
  advance(name: string, ms: number): Promise<ClockReading>;
  /** Moves a clock forward to `at`; earlier instants are refused with a ClockError. */
  set(name: string, at: Date): Promise<ClockReading>;
}

export class ClockError extends Error {}

export function createClockService(db: Kysely<Database>, base: Clock): ClockService {
  const offsets = new Map<string, number>([[globalClock, 0]]);
  const offsetOf = (name: string) => offsets.get(name) ?? offsets.get(globalClock) ?? 0;
  const now = (name = globalClock) => new Date(base.now().getTime() + offsetOf(name));
  const reading = (name: string): ClockReading => ({ name, now: now(name), offsetMs: offsetOf(name) });

  async function refresh() {
    const rows = await db.selectFrom("clocks").select(["name", "offset_ms"]).execute();
    for (const row of rows) offsets.set(row.name, Number(row.offset_ms));
  }

  /** Raises the stored offset, never lowers it (two processes moving one clock cannot move it back). */
  async function store(name: string, offsetMs: number) {
    const stamp = toStored(base.now());
    await db
      .insertInto("clocks")
      .values({ name, offset_ms: offsetMs, created_at: stamp, updated_at: stamp })
      .onConflict((conflict) =>
        conflict
          .column("name")
          .doUpdateSet({ offset_ms: offsetMs, updated_at: stamp })
          .where("clocks.offset_ms", "<", offsetMs),
      )
      .execute();
    await refresh();
  }

  return {
    now,
    global: { now: () => now(globalClock) },
    refresh,
    list() {
      const names = [...offsets.keys()].sort();
      return names.map(reading);
    },
    exists: (name) => offsets.has(name),
    async create(name) {
      await refresh();
      if (!offsets.has(name)) await store(name, offsetOf(globalClock));
      return reading(name);
    },
    async advance(name, ms) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new ClockError("A clock can only be advanced by a positive duration.");
      await refresh();
      await store(name, offsetOf(name) + ms);
      return reading(name);
    },
    async set(name, at) {
      await refresh();
      const target = at.getTime() - base.now().getTime();
      if (target < offsetOf(name)) {
        throw new ClockError(
          `Clocks only move forward: ${at.toISOString()} is before the clock's current time ${now(name).toISOString()}.`,
        );
      }
      await store(name, target);
      return reading(name);
    },
  };
}
