import type { PaymentOption, TermUnit } from "../../catalog/model.js";
import { termDates } from "../../subscriptions/term-dates.js";
import { daysBetween, inclusiveDays, isoDate } from "./dates.js";
import { BillingError } from "./errors.js";
import {
  addRatios,
  integerRatio,
  multiplyRatios,
  type Ratio,
  ratio,
  roundHalfEven,
  zeroRatio,
} from "./exact.js";
import { type Instalment, instalments } from "./instalments.js";
import { type Money, money, negate, sum } from "./money.js";

/** "prorate": a mid-term change is settled by day; "none": the new price starts with the next term. */
export type ProrationPolicy = "prorate" | "none";

export interface PeriodChange {
  /** The day the change takes effect; it is the first day at the new price. */
  on: Date;
  newPrice: Money;
}

export interface Proration {
  on: string;
  /** Credited for the old price's unused days (a positive amount, shown as a negative line). */
  credit: Money;
  /** Charged for the new price over the same days. */
  charge: Money;
  /** From the change day to the period's end, both counted. */
  remainingDays: number;
  periodDays: number;
}

/**
 * Prorates changes within one paid period (the whole term when paid upfront, one instalment's months
 * otherwise) by whole days. The change day belongs to the new price. The period's running total is kept
 * exact (Σ price × days / periodDays) and rounded half-even only when a line is written: the credit is
 * the period's total so far minus the rounded used part, the charge is the new rounded total minus that
 * same used part. So however many changes a period sees, its total is one rounding of the exact
 * day-weighted prices: never negative and never above the dearest price.
 */
export function prorateWithinPeriod(input: {
  periodStart: Date;
  periodEnd: Date;
  price: Money;
  changes: readonly PeriodChange[];
  policy: ProrationPolicy;
}): Proration[] {
  const { periodStart, periodEnd, price } = input;
  if (input.policy === "none") return [];
  const periodDays = inclusiveDays(periodStart, periodEnd);
  if (periodDays < 1) throw new BillingError("invalidChange", "the period ends before it starts");
  let currentPrice = price;
  let segmentStart = 0;
  let usedExact: Ratio = zeroRatio;
  let runningTotal = price.minor;
  const prorations: Proration[] = [];
  for (const change of chronological(input.changes)) {
    const changeDay = daysBetween(periodStart, change.on);
    if (changeDay < 0 || changeDay >= periodDays) {
      throw new BillingError(
        "invalidChange",
        `a change on ${isoDate(change.on)} is outside the period ${isoDate(periodStart)}..${isoDate(periodEnd)}`,
      );
    }
    checkPrice(change.newPrice, price.currency);
    usedExact = addRatios(usedExact, dayShare(currentPrice, changeDay - segmentStart, periodDays));
    const used = roundHalfEven(usedExact);
    const newTotal = roundHalfEven(
      addRatios(usedExact, dayShare(change.newPrice, periodDays - changeDay, periodDays)),
    );
    prorations.push({
      on: isoDate(change.on),
      credit: money(price.currency, runningTotal - used),
      charge: money(price.currency, newTotal - used),
      remainingDays: periodDays - changeDay,
      periodDays,
    });
    runningTotal = newTotal;
    currentPrice = change.newPrice;
    segmentStart = changeDay;
  }
  return prorations;
}

/** One change within one period; with policy "none" the credit and charge are zero. */
export function prorate(input: {
  periodStart: Date;
  periodEnd: Date;
  changeOn: Date;
  oldPrice: Money;
  newPrice: Money;
  policy: ProrationPolicy;
}): Proration {
  const [proration] = prorateWithinPeriod({
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    price: input.oldPrice,
    changes: [{ on: input.changeOn, newPrice: input.newPrice }],
    policy: input.policy,
  });
  if (proration) return proration;
  const periodDays = inclusiveDays(input.periodStart, input.periodEnd);
  return {
    on: isoDate(input.changeOn),
    credit: money(input.oldPrice.currency, 0n),
    charge: money(input.oldPrice.currency, 0n),
    remainingDays: periodDays - daysBetween(input.periodStart, input.changeOn),
    periodDays,
  };
}

export interface TermChange {
  /** The first day at the new price. */
  on: Date;
  /** The new plan's or seat count's price for the whole term (as termCharge computes it). */
  newTermPrice: Money;
}

export type TermLineKind = "instalment" | "prorationCredit" | "prorationCharge";

export interface TermLine {
  kind: TermLineKind;
  /** The due day of an instalment, or the day of the change for proration lines (ISO date). */
  on: string;
  /** The instalment whose period the line belongs to. */
  instalment: number;
  /** Signed: credits are negative. */
  amount: Money;
}

export interface TermBill {
  lines: TermLine[];
  /** The schedule as charged: instalments due after a change are the new price's instalments. */
  instalments: Instalment[];
  total: Money;
}

/**
 * All flat-charge lines of one term under a sequence of plan or seat changes. Each instalment is charged
 * at the price in force on the day before it falls due, taking the amount the new price's own schedule
 * has at that position; a change inside a period already paid is settled by a credit and a charge
 * (prorateWithinPeriod) that go on the next invoice. With policy "none" the term keeps its schedule.
 */
export function billTerm(input: {
  termStart: Date;
  termUnit: TermUnit;
  paymentOption: PaymentOption;
  termPrice: Money;
  changes: readonly TermChange[];
  policy: ProrationPolicy;
}): TermBill {
  const { termPrice, termUnit, paymentOption, termStart } = input;
  checkPrice(termPrice, termPrice.currency);
  const { startDate, endDate } = termDates(termStart, termUnit);
  const changes = chronological(
    input.changes.map((change) => ({ on: change.on, newPrice: change.newTermPrice })),
  );
  for (const change of changes) {
    checkPrice(change.newPrice, termPrice.currency);
    if (daysBetween(startDate, change.on) < 0 || daysBetween(change.on, endDate) < 0) {
      throw new BillingError(
        "invalidChange",
        `a change on ${isoDate(change.on)} is outside the term ${isoDate(startDate)}..${isoDate(endDate)}`,
      );
    }
  }
  const schedules = new Map<bigint, Instalment[]>();
  const scheduleOf = (price: Money): Instalment[] => {
    let schedule = schedules.get(price.minor);
    if (!schedule) {
      schedule = instalments(price, termUnit, paymentOption, startDate);
      schedules.set(price.minor, schedule);
    }
    return schedule;
  };
  const lines: TermLine[] = [];
  const charged: Instalment[] = [];
  for (const period of scheduleOf(termPrice)) {
    const dueOn = new Date(`${period.dueOn}T00:00:00Z`);
    const coversUntil = new Date(`${period.coversUntil}T00:00:00Z`);
    const priceBefore =
      input.policy === "none"
        ? termPrice
        : (changes.filter((change) => daysBetween(change.on, dueOn) > 0).at(-1)?.newPrice ?? termPrice);
    const instalment = at(scheduleOf(priceBefore), period.index);
    charged.push(instalment);
    lines.push({ kind: "instalment", on: period.dueOn, instalment: period.index, amount: instalment.amount });
    const within = changes.filter(
      (change) => daysBetween(dueOn, change.on) >= 0 && daysBetween(change.on, coversUntil) >= 0,
    );
    const prorations = prorateWithinPeriod({
      periodStart: dueOn,
      periodEnd: coversUntil,
      price: instalment.amount,
      changes: within.map((change) => ({
        on: change.on,
        newPrice: at(scheduleOf(change.newPrice), period.index).amount,
      })),
      policy: input.policy,
    });
    for (const proration of prorations) {
      lines.push(
        {
          kind: "prorationCredit",
          on: proration.on,
          instalment: period.index,
          amount: negate(proration.credit),
        },
        { kind: "prorationCharge", on: proration.on, instalment: period.index, amount: proration.charge },
      );
    }
  }
  return {
    lines,
    instalments: charged,
    total: sum(
      termPrice.currency,
      lines.map((line) => line.amount),
    ),
  };
}

function at(schedule: Instalment[], index: number): Instalment {
  const instalment = schedule[index - 1];
  if (!instalment) throw new BillingError("invalidChange", `no instalment ${index} in the schedule`);
  return instalment;
}

function dayShare(price: Money, days: number, periodDays: number): Ratio {
  return multiplyRatios(integerRatio(price.minor), ratio(BigInt(days), BigInt(periodDays)));
}

function checkPrice(price: Money, currency: string): void {
  if (price.currency !== currency) {
    throw new BillingError("currencyMismatch", `cannot combine ${currency} and ${price.currency}`);
  }
  if (price.minor < 0n) throw new BillingError("invalidAmount", "a price cannot be negative");
}

/** Sorted by day; changes on the same day keep their given order (the last one wins the day). */
function chronological<T extends { on: Date }>(changes: readonly T[]): T[] {
  return changes
    .map((change, position) => ({ change, position }))
    .sort((a, b) => daysBetween(b.change.on, a.change.on) || a.position - b.position)
    .map(({ change }) => change);
}
