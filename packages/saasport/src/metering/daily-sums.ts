import type { UsageDailyTable } from "../db/tables.js";

/** One row of usage_daily's worth of newly accepted usage: the key and what to add to its sums. */
export type DailySum = Omit<UsageDailyTable, "quantity_micros" | "events"> & {
  quantity_micros: bigint;
  events: number;
};

/** The fields of an accepted usage event that its day's sum needs. */
export interface SummableUsage {
  subscription_id: string;
  dimension: string;
  plan_id: string;
  publisher_id: string;
  offer_id: string;
  /** Millionths of a unit, as an integer or its decimal text. */
  quantity_micros: number | bigint | string;
  /** Normalised UTC time (`2026-05-02T10:15:00.000Z`); its first ten characters are the day. */
  effective_start_time: string;
}

/**
 * Sums usage per UTC day, subscription, dimension and plan, in key order (so that concurrent writers
 * of overlapping keys take their locks in the same order). Exact: the quantities are added as integers.
 */
export function dailySums(usage: Iterable<SummableUsage>): DailySum[] {
  const sums = new Map<string, DailySum>();
  for (const event of usage) {
    const day = event.effective_start_time.slice(0, 10);
    const key = `${day}\u0000${event.subscription_id}\u0000${event.dimension}\u0000${event.plan_id}`;
    const micros = BigInt(event.quantity_micros);
    const sum = sums.get(key);
    if (sum) {
      sum.quantity_micros += micros;
      sum.events += 1;
    } else {
      sums.set(key, {
        usage_day: day,
        subscription_id: event.subscription_id,
        dimension: event.dimension,
        plan_id: event.plan_id,
        publisher_id: event.publisher_id,
        offer_id: event.offer_id,
        quantity_micros: micros,
        events: 1,
      });
    }
  }
  return [...sums.keys()].sort().map((key) => sums.get(key) as DailySum);
}
