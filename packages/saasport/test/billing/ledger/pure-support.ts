import { formatMoney } from "../../../src/billing/domain/money.js";
import type { ProrationPolicy } from "../../../src/billing/domain/proration.js";
import type { ComputedLine } from "../../../src/billing/ledger/ledger-line.js";
import type { LedgerContext } from "../../../src/billing/ledger/pricing.js";
import type { LedgerEvent } from "../../../src/billing/ledger/terms.js";
import { createTermPricer, type FrozenPrices } from "../../../src/billing/sync/term-pricer.js";
import type { BillingTerm, MeteringDimension, Plan, PricingModel } from "../../../src/catalog/model.js";
import type { PrivateOffer } from "../../../src/private-offers/model.js";
import type { BillingSnapshot } from "../../../src/subscriptions/lifecycle/snapshot.js";
import { addDays, termDates } from "../../../src/subscriptions/term-dates.js";

/** Pure helpers for the ledger's unit tests: plans, event histories and a ledger context. */

export const buyer = "cccccccc-0000-4000-8000-000000000003";
export const reseller = "eeeeeeee-0000-4000-8000-000000000005";
export const subscriptionId = "11111111-2222-4333-8444-555555555555";

export const term = (
  termUnit: BillingTerm["termUnit"],
  price: string,
  paymentOption: BillingTerm["paymentOption"] = "upfront",
): BillingTerm => ({ termUnit, price, currency: "USD", paymentOption });

export const dimension = (
  id: string,
  pricePerUnit: string,
  includedQuantity: MeteringDimension["includedQuantity"],
): MeteringDimension => ({
  id,
  displayName: id,
  unitOfMeasure: "unit",
  pricePerUnit,
  currency: "USD",
  includedQuantity,
});

export function plan(
  planId: string,
  billingTerms: BillingTerm[],
  meteringDimensions: MeteringDimension[] = [],
): Plan {
  return {
    publisherId: "contoso",
    offerId: "offer",
    planId,
    displayName: `${planId} plan`,
    description: "",
    isPrivate: false,
    audience: [],
    minQuantity: null,
    maxQuantity: null,
    hasFreeTrial: false,
    isStopSell: false,
    markets: ["US"],
    billingTerms,
    meteringDimensions,
  };
}

/** The plans of docs/billing.md's worked examples, plus a few neighbours. */
export const plans = {
  /** (a) per user, 1 year paid monthly at 10.00 per seat per month, or 120.00 upfront. */
  desk: plan("desk", [
    term("P1Y", "10.00", "monthly"),
    term("P1Y", "120.00", "upfront"),
    term("P1M", "12.00"),
  ]),
  /** A dearer per-user plan. */
  studio: plan("studio", [term("P1Y", "20.00", "monthly"), term("P1M", "25.00")]),
  /** (b) flat rate 49.00 a month with api-calls at 0.01, 1000 included per month (12,000 per year). */
  flat: plan(
    "flat",
    [term("P1M", "49.00"), term("P1Y", "40.00", "monthly")],
    [
      dimension("api-calls", "0.01", { P1M: "1000", P1Y: "12000" }),
      dimension("storage", "0.50", { P1M: "unlimited", P1Y: "unlimited" }),
      dimension("exports", "2.00", {}),
    ],
  ),
  /** A dearer flat plan with the same dimension. */
  flatPro: plan(
    "flat-pro",
    [term("P1M", "99.00"), term("P1Y", "80.00", "monthly")],
    [dimension("api-calls", "0.005", { P1M: "5000", P1Y: "60000" })],
  ),
} satisfies Record<string, Plan>;

export interface ContextOptions {
  pricingModel?: PricingModel;
  plans?: Plan[];
  offers?: PrivateOffer[];
  frozen?: FrozenPrices;
  reseller?: boolean;
  policy?: ProrationPolicy;
  payer?: string;
}

/** A ledger context on the catalog `plans` and the payer's accepted private offers. */
export function context(options: ContextOptions = {}): LedgerContext & { frozen: FrozenPrices } {
  const pricingModel = options.pricingModel ?? "perUser";
  const all = new Map((options.plans ?? Object.values(plans)).map((entry) => [entry.planId, entry]));
  const frozen = options.frozen ?? {};
  return {
    subscriptionId,
    pricingModel,
    reseller: options.reseller ?? false,
    policy: options.policy ?? "prorate",
    price: createTermPricer({
      publisherId: "contoso",
      offerId: "offer",
      pricingModel,
      plans: all,
      payerTenantId: options.payer ?? buyer,
      privateOffers: options.offers ?? [],
      frozen,
    }),
    plan: (planId) => all.get(planId),
    frozen,
  };
}

export function privateOffer(
  id: string,
  planPrices: PrivateOffer["plans"],
  window: {
    validFrom: string;
    validTo: string;
    acceptedAt: string;
    tenant?: string;
    audience?: "customer" | "reseller";
  },
): PrivateOffer {
  return {
    id,
    publisherId: "contoso",
    offerId: "offer",
    name: id,
    customerTenantId: window.tenant ?? buyer,
    audience: window.audience ?? "customer",
    acceptBy: window.validTo,
    validFrom: window.validFrom,
    validTo: window.validTo,
    status: "accepted",
    createdAt: window.acceptedAt,
    updatedAt: window.acceptedAt,
    acceptedAt: window.acceptedAt,
    withdrawnAt: null,
    plans: planPrices,
  };
}

const midnight = (iso: string) => `${iso}T00:00:00.000Z`;

/**
 * An event log as the lifecycle writes it: each step copies the previous snapshot and applies changes,
 * the way `commitChange` records the row after each event.
 */
export class History {
  readonly events: LedgerEvent[] = [];
  private state: BillingSnapshot;

  constructor(initial: Partial<BillingSnapshot> & { planId: string }) {
    this.state = {
      status: "PendingFulfillmentStart",
      quantity: null,
      termUnit: "P1M",
      paymentOption: "upfront",
      termStart: null,
      termEnd: null,
      isFreeTrial: false,
      refundWindowEndsAt: null,
      ...initial,
    };
  }

  /** Records an event at `at` (an ISO instant, or an ISO day meaning its midnight). */
  record(type: string, at: string, changes: Partial<BillingSnapshot> = {}): this {
    this.state = { ...this.state, ...changes };
    const occurredAt = at.length === 10 ? midnight(at) : at;
    this.events.push({ seq: this.events.length + 1, type, occurredAt, snapshot: { ...this.state } });
    return this;
  }

  /** Purchased at `at`; the refund window is 72 hours from it. */
  purchase(at: string): this {
    const occurredAt = at.length === 10 ? midnight(at) : at;
    const refundWindowEndsAt = new Date(Date.parse(occurredAt) + 72 * 3_600_000).toISOString();
    return this.record("Purchased", occurredAt, { refundWindowEndsAt });
  }

  /** Activated at `at`: a term of the subscription's unit (a one-month trial when `trial`) starts that day. */
  activate(at: string, trial = false): this {
    const day = at.slice(0, 10);
    return this.record("Activated", at, {
      status: "Subscribed",
      isFreeTrial: trial,
      ...this.termFrom(day, trial),
    });
  }

  /** A new term from `day` (renewal, trial conversion, or leaving a trial by a plan change). */
  newTerm(type: string, at: string, changes: Partial<BillingSnapshot> = {}): this {
    return this.record(type, at, {
      isFreeTrial: false,
      ...changes,
      ...this.termFrom(at.slice(0, 10), false),
    });
  }

  renew(day: string): this {
    return this.newTerm("Renewed", day);
  }

  change(at: string, changes: { planId?: string; quantity?: number }): this {
    return this.record("PlanChanged", at, changes);
  }

  cancel(at: string): this {
    return this.record("Unsubscribed", at, { status: "Unsubscribed" });
  }

  get snapshot(): BillingSnapshot {
    return { ...this.state };
  }

  private termFrom(day: string, trial: boolean) {
    const { startDate, endDate } = termDates(
      new Date(midnight(day)),
      trial ? "P1M" : (this.state.termUnit as "P1M"),
    );
    return { termStart: startDate.toISOString(), termEnd: endDate.toISOString() };
  }
}

/** A line as the assertions compare it. */
export function brief(line: ComputedLine): [string, string, string] {
  return [line.kind, line.on, formatMoney(line.amount)];
}

export const dayAfter = (iso: string): string =>
  addDays(new Date(midnight(iso)), 1)
    .toISOString()
    .slice(0, 10);

/** One step of a simulated subscription: wait, then act. */
export interface SimulatedStep {
  afterHours: number;
  action:
    | { kind: "seats"; seats: number }
    | { kind: "plan"; planId: string }
    | { kind: "usage"; dimension: string; quantity: string }
    | { kind: "cancel" }
    | { kind: "autoRenewOff" }
    | { kind: "suspend" }
    | { kind: "reinstate" }
    | { kind: "wait" };
}

export interface SimulatedSubscription {
  planId: string;
  seats: number | null;
  termUnit: "P1M" | "P1Y";
  paymentOption: "upfront" | "monthly";
  /** ISO instant of the purchase; activation follows an hour later. */
  purchasedAt: string;
  steps: SimulatedStep[];
}

const hour = 3_600_000;

/**
 * A subscription's event log and usage as the lifecycle would record them, with the timed transitions
 * (renewal the day after the term end, expiry with auto-renew off, the end of a 30-day suspension) applied
 * when due. Events come in time order; usage is recorded on the current plan while Subscribed.
 */
export function simulate(script: SimulatedSubscription): {
  events: LedgerEvent[];
  usage: { planId: string; dimension: string; day: string; quantity: string }[];
  end: Date;
} {
  const history = new History({
    planId: script.planId,
    quantity: script.seats,
    termUnit: script.termUnit,
    paymentOption: script.paymentOption,
  });
  const usage: { planId: string; dimension: string; day: string; quantity: string }[] = [];
  let now = Date.parse(script.purchasedAt);
  history.purchase(new Date(now).toISOString());
  now += hour;
  history.activate(new Date(now).toISOString());
  let autoRenew = true;
  let suspendedAt: number | undefined;
  const state = () => history.snapshot;
  const applyDue = (until: number) => {
    for (;;) {
      const snapshot = state();
      if (snapshot.status === "Unsubscribed") return;
      if (snapshot.status === "Suspended" && suspendedAt !== undefined) {
        const graceEnd = suspendedAt + 30 * 24 * hour;
        if (graceEnd > until) return;
        history.cancel(new Date(graceEnd).toISOString());
        return;
      }
      const next = Date.parse(snapshot.termEnd as string) + 24 * hour;
      if (next > until) return;
      if (!autoRenew) {
        history.cancel(new Date(next).toISOString());
        return;
      }
      history.renew(new Date(next).toISOString().slice(0, 10));
    }
  };
  for (const step of script.steps) {
    now += step.afterHours * hour;
    applyDue(now);
    const snapshot = state();
    if (snapshot.status === "Unsubscribed") break;
    const at = new Date(now).toISOString();
    const action = step.action;
    const subscribed = snapshot.status === "Subscribed";
    switch (action.kind) {
      case "seats":
        if (subscribed && snapshot.quantity !== null && snapshot.quantity !== action.seats) {
          history.change(at, { quantity: action.seats });
        }
        break;
      case "plan":
        if (subscribed && snapshot.planId !== action.planId) history.change(at, { planId: action.planId });
        break;
      case "usage":
        if (subscribed)
          usage.push({
            planId: snapshot.planId,
            dimension: action.dimension,
            day: at.slice(0, 10),
            quantity: action.quantity,
          });
        break;
      case "cancel":
        history.cancel(at);
        break;
      case "autoRenewOff":
        autoRenew = false;
        break;
      case "suspend":
        if (subscribed) {
          suspendedAt = now;
          history.record("Suspended", at, { status: "Suspended" });
        }
        break;
      case "reinstate":
        if (snapshot.status === "Suspended") {
          suspendedAt = undefined;
          history.record("Reinstated", at, { status: "Subscribed" });
        }
        break;
      case "wait":
        break;
    }
  }
  now += 24 * hour;
  applyDue(now);
  return { events: history.events, usage, end: new Date(now) };
}
