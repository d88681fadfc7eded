import { describe, expect, it } from "vitest";
import { formatMoney } from "../../../src/billing/domain/money.js";
import type { PriceRequest } from "../../../src/billing/ledger/pricing.js";
import { createTermPricer, type FrozenPrices, priceKey } from "../../../src/billing/sync/term-pricer.js";
import type { Plan } from "../../../src/catalog/model.js";
import type { PrivateOffer } from "../../../src/private-offers/model.js";
import { buyer, plan, plans, privateOffer, term } from "./pure-support.js";

const request = (change: Partial<PriceRequest> = {}): PriceRequest => ({
  termStart: "2025-03-01",
  planId: "desk",
  seats: 10,
  termUnit: "P1Y",
  paymentOption: "monthly",
  freeTrial: false,
  decidedAt: "2025-03-01T09:00:00.000Z",
  ...change,
});

function pricer(options: {
  catalog?: Plan[];
  offers?: PrivateOffer[];
  frozen?: FrozenPrices;
  pricingModel?: "perUser" | "flatRate";
  payer?: string;
}) {
  return createTermPricer({
    publisherId: "contoso",
    offerId: "offer",
    pricingModel: options.pricingModel ?? "perUser",
    plans: new Map((options.catalog ?? Object.values(plans)).map((entry) => [entry.planId, entry])),
    payerTenantId: options.payer ?? buyer,
    privateOffers: options.offers ?? [],
    frozen: options.frozen ?? {},
  });
}

const shown = (pricing: ReturnType<ReturnType<typeof pricer>>) => ({
  amount: formatMoney(pricing.amount),
  list: formatMoney(pricing.listAmount),
  offer: pricing.privateOfferId,
  privatePrice: pricing.privatePrice?.kind ?? null,
});

const window2025 = { validFrom: "2025-01-01", validTo: "2025-12-31", acceptedAt: "2025-02-01T10:00:00.000Z" };
const discount = (percent: string, id = "po-d", when = window2025) =>
  privateOffer(id, [{ planId: "desk", kind: "discount", discountPercent: percent }], when);
const absolute = (price: string, id = "po-a", when = window2025) =>
  privateOffer(id, [{ planId: "desk", kind: "absolute", absolutePrice: price, currency: "USD" }], when);

describe("createTermPricer", () => {
  it.each([
    [
      "list price: one payment × instalments × seats",
      [],
      request(),
      { amount: "1200.00", list: "1200.00", offer: null, privatePrice: null },
    ],
    [
      "upfront: the payment is the whole term",
      [],
      request({ paymentOption: "upfront" }),
      { amount: "1200.00", list: "1200.00", offer: null, privatePrice: null },
    ],
    [
      "a discount off the term, rounded once",
      [discount("12.5")],
      request({ seats: 3 }),
      { amount: "315.00", list: "360.00", offer: "po-d", privatePrice: "discount" },
    ],
    [
      "an absolute price per payment, per seat",
      [absolute("8.00")],
      request(),
      { amount: "960.00", list: "1200.00", offer: "po-a", privatePrice: "absolute" },
    ],
    [
      "an absolute price on an upfront term",
      [absolute("100.00")],
      request({ paymentOption: "upfront", seats: 2 }),
      { amount: "200.00", list: "240.00", offer: "po-a", privatePrice: "absolute" },
    ],
    [
      "an offer accepted after the plan was chosen does not apply",
      [discount("20")],
      request({ decidedAt: "2025-02-01T09:59:59.999Z" }),
      { amount: "1200.00", list: "1200.00", offer: null, privatePrice: null },
    ],
    [
      "an offer accepted at the instant the plan was chosen applies",
      [discount("20")],
      request({ decidedAt: "2025-02-01T10:00:00.000Z" }),
      { amount: "960.00", list: "1200.00", offer: "po-d", privatePrice: "discount" },
    ],
    [
      "a term starting before the offer's window is at list price",
      [discount("20")],
      request({ termStart: "2024-12-31" }),
      { amount: "1200.00", list: "1200.00", offer: null, privatePrice: null },
    ],
    [
      "a term starting on the window's last day gets the private price",
      [discount("20")],
      request({ termStart: "2025-12-31" }),
      { amount: "960.00", list: "1200.00", offer: "po-d", privatePrice: "discount" },
    ],
    [
      "the most recently accepted offer wins",
      [
        discount("20"),
        absolute("9.00", "po-late", { ...window2025, acceptedAt: "2025-02-05T10:00:00.000Z" }),
      ],
      request(),
      { amount: "1080.00", list: "1200.00", offer: "po-late", privatePrice: "absolute" },
    ],
    [
      "an offer for another plan does not apply",
      [discount("20")],
      request({ planId: "studio" }),
      { amount: "2400.00", list: "2400.00", offer: null, privatePrice: null },
    ],
    [
      "a free-trial term costs nothing",
      [],
      request({ freeTrial: true }),
      { amount: "0.00", list: "1200.00", offer: null, privatePrice: null },
    ],
  ] as const)("%s", (_name, offers, asked, expected) => {
    expect(shown(pricer({ offers: [...offers] })(asked))).toEqual(expected);
  });

  it("prices flat-rate plans without seats", () => {
    const price = pricer({ pricingModel: "flatRate" });
    expect(
      shown(price(request({ planId: "flat", seats: null, termUnit: "P1M", paymentOption: "upfront" }))),
    ).toEqual({
      amount: "49.00",
      list: "49.00",
      offer: null,
      privatePrice: null,
    });
  });

  it("freezes a term's price the first time it is asked, and a later catalog change never reprices it", () => {
    const frozen: FrozenPrices = {};
    expect(formatMoney(pricer({ frozen })(request()).amount)).toBe("1200.00");
    expect(Object.keys(frozen)).toEqual([priceKey(request())]);
    const dearer = [plan("desk", [term("P1Y", "11.00", "monthly")])];
    const stored = JSON.parse(JSON.stringify(frozen)) as FrozenPrices;
    expect(formatMoney(pricer({ catalog: dearer, frozen: stored })(request()).amount)).toBe("1200.00");
    // A new term or a new seat count is priced from the catalog as it is now.
    expect(
      formatMoney(pricer({ catalog: dearer, frozen: stored })(request({ termStart: "2026-03-01" })).amount),
    ).toBe("1320.00");
    expect(formatMoney(pricer({ catalog: dearer, frozen: stored })(request({ seats: 11 })).amount)).toBe(
      "1452.00",
    );
  });

  it("keeps a frozen private price, meter discount included, after the offer is gone", () => {
    const frozen: FrozenPrices = {};
    pricer({ offers: [discount("20")], frozen })(request());
    const stored = JSON.parse(JSON.stringify(frozen)) as FrozenPrices;
    const again = pricer({ offers: [], frozen: stored })(request());
    expect(shown(again)).toEqual({
      amount: "960.00",
      list: "1200.00",
      offer: "po-d",
      privatePrice: "discount",
    });
    expect(again.privatePrice).toEqual({
      kind: "discount",
      percent: "20",
      validFrom: new Date("2025-01-01T00:00:00.000Z"),
      validTo: new Date("2025-12-31T00:00:00.000Z"),
    });
  });

  it("does not let a private offer accepted later reprice a term already frozen at list price", () => {
    const frozen: FrozenPrices = {};
    pricer({ frozen })(request());
    const later = pricer({ offers: [discount("20")], frozen })(
      request({ decidedAt: "2025-06-01T00:00:00.000Z" }),
    );
    expect(shown(later).amount).toBe("1200.00");
  });

  it("refuses a plan that is not in the catalog or has no such term", () => {
    expect(() => pricer({})(request({ planId: "gone" }))).toThrow(/not in the catalog/);
    expect(() => pricer({})(request({ planId: "studio", termUnit: "P2Y" }))).toThrow(/no P2Y billing term/);
  });
});
