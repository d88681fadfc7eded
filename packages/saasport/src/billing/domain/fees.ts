import { type Money, percentOf, subtract, sum } from "./money.js";

/** The marketplace's store service fee on collected revenue (spec §8: 3%). */
export const defaultStoreFeePercent = "3";

/** The fee rounded once (half-even) and the payout as the exact rest, so fee + payout = collected. */
export function storeFee(
  collected: Money,
  feePercent: string = defaultStoreFeePercent,
): { fee: Money; payout: Money } {
  const fee = percentOf(collected, feePercent);
  return { fee, payout: subtract(collected, fee) };
}

export interface Collection {
  publisherId: string;
  /** The month the money was collected ("2025-04"). */
  month: string;
  amount: Money;
}

export interface PayoutStatement {
  publisherId: string;
  month: string;
  currency: string;
  collected: Money;
  storeFee: Money;
  payout: Money;
}

/**
 * Monthly payout statements: one per publisher, month and currency. The fee is taken once on the month's
 * total (not per line), so a statement is off by at most half a minor unit from the exact percentage.
 * Refunds collected as negative amounts reduce the month's total and so its fee.
 */
export function payoutStatements(
  collections: readonly Collection[],
  feePercent: string = defaultStoreFeePercent,
): PayoutStatement[] {
  const groups = new Map<string, Collection[]>();
  for (const collection of collections) {
    const key = JSON.stringify([collection.publisherId, collection.month, collection.amount.currency]);
    const group = groups.get(key);
    if (group) group.push(collection);
    else groups.set(key, [collection]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, group]) => {
      const [{ publisherId, month, amount }] = group as [Collection, ...Collection[]];
      const collected = sum(
        amount.currency,
        group.map((collection) => collection.amount),
      );
      const { fee, payout } = storeFee(collected, feePercent);
      return { publisherId, month, currency: amount.currency, collected, storeFee: fee, payout };
    });
}

/**
 * A reseller's margin on one line: the list price minus what the reseller is charged under its private
 * price. It is recorded next to the line for reporting; it moves no money (the reseller pays its price,
 * the store fee and payout are computed on that), and it is negative if a private price is above list.
 */
export function resellerMargin(listAmount: Money, resellerAmount: Money): Money {
  return subtract(listAmount, resellerAmount);
}
