import { describe, expect, it } from "vitest";
import { formatMoney } from "../../src/billing/domain/money.js";
import { meterUnitPrice, termCharge } from "../../src/billing/domain/term-charge.js";
import type { MeteringDimension, Offer, Plan } from "../../src/catalog/model.js";
import type { PrivateOffer } from "../../src/private-offers/model.js";
import {
  appliesToParties,
  coveringPrivateOffer,
  decideAccept,
  decideWithdraw,
  effectivePrivatePrice,
  type PrivateOfferInput,
  statusAt,
  validatePrivateOffer,
} from "../../src/private-offers/rules.js";

const customer = "cccccccc-0000-4000-8000-000000000003";
const reseller = "eeeeeeee-0000-4000-8000-000000000005";
const offer: Offer = {
  publisherId: "contoso",
  offerId: "analytics",
  displayName: "Analytics",
  description: "",
  pricingModel: "flatRate",
  isPreview: false,
};
const plan = (planId: string, extra: Partial<Plan> = {}): Plan => ({
  publisherId: "contoso",
  offerId: "analytics",
  planId,
  displayName: planId,
  description: "",
  isPrivate: false,
  audience: [],
  minQuantity: null,
  maxQuantity: null,
  hasFreeTrial: false,
  isStopSell: false,
  markets: ["US"],
  billingTerms: [
    { termUnit: "P1M", price: "49.99", currency: "USD", paymentOption: "upfront" },
    { termUnit: "P1Y", price: "40.00", currency: "USD", paymentOption: "monthly" },
  ],
  meteringDimensions: [],
  ...extra,
});
const apiCalls: MeteringDimension = {
  id: "api-calls",
  displayName: "API calls",
  unitOfMeasure: "call",
  pricePerUnit: "0.25",
  currency: "USD",
  includedQuantity: { P1M: "100", P1Y: "1200" },
};
const storage: MeteringDimension = { ...apiCalls, id: "storage", unitOfMeasure: "GB", pricePerUnit: "0.50" };
const plans = [
  plan("basic"),
  plan("metered", { meteringDimensions: [apiCalls, storage] }),
  plan("eu-meter", { meteringDimensions: [{ ...apiCalls, currency: "EUR" }] }),
  plan("many-meters", {
    meteringDimensions: Array.from({ length: 31 }, (_, k) => ({ ...apiCalls, id: `d${k}` })),
  }),
  plan("pro"),
  plan("legacy", { isStopSell: true }),
  plan("global", {
    billingTerms: [
      { termUnit: "P1M", price: "10.00", currency: "USD", paymentOption: "upfront" },
      { termUnit: "P1M", price: "9.00", currency: "EUR", paymentOption: "upfront" },
    ],
  }),
];
const valid: PrivateOfferInput = {
  name: "Ada's deal",
  offerId: "analytics",
  customerTenantId: customer.toUpperCase(),
  acceptBy: "2026-03-31",
  validFrom: "2026-03-01",
  validTo: "2026-12-31",
  plans: [{ planId: "basic", discountPercent: "20" }],
};
const today = "2026-03-10";

describe("validatePrivateOffer", () => {
  it("normalises a valid offer: lowercase tenant, customer audience by default, canonical decimals", () => {
    const result = validatePrivateOffer(
      {
        ...valid,
        plans: [
          { planId: "basic", discountPercent: "12.50" },
          { planId: "pro", absolutePrice: "30" },
        ],
      },
      { offer, plans },
      today,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        ...valid,
        customerTenantId: customer,
        audience: "customer",
        plans: [
          { planId: "basic", kind: "discount", discountPercent: "12.5" },
          { planId: "pro", kind: "absolute", absolutePrice: "30.00", currency: "USD" },
        ],
      },
    });
  });

  it("keeps an absolute price's meter prices, canonical, and drops an empty set", () => {
    const result = validatePrivateOffer(
      {
        ...valid,
        plans: [
          {
            planId: "metered",
            absolutePrice: "30",
            dimensionPrices: { "api-calls": "0.0080", storage: "1" },
          },
          { planId: "pro", absolutePrice: "20.00", dimensionPrices: {} },
        ],
      },
      { offer, plans },
      today,
    );
    expect(result.ok && result.value.plans).toEqual([
      {
        planId: "metered",
        kind: "absolute",
        absolutePrice: "30.00",
        currency: "USD",
        dimensionPrices: { "api-calls": "0.008", storage: "1.00" },
      },
      { planId: "pro", kind: "absolute", absolutePrice: "20.00", currency: "USD" },
    ]);
    const free = validatePrivateOffer(
      { ...valid, plans: [{ planId: "metered", absolutePrice: "0", dimensionPrices: { storage: "0" } }] },
      { offer, plans },
      today,
    );
    expect(free.ok && free.value.plans).toEqual([
      expect.objectContaining({ absolutePrice: "0.00", dimensionPrices: { storage: "0.00" } }),
    ]);
    const thirty = (price: string) =>
      Object.fromEntries(Array.from({ length: 30 }, (_, k) => [`d${k}`, price]));
    const many = validatePrivateOffer(
      { ...valid, plans: [{ planId: "many-meters", absolutePrice: "1", dimensionPrices: thirty("0.1") }] },
      { offer, plans },
      today,
    );
    expect(many.ok && many.value.plans[0]).toMatchObject({ dimensionPrices: thirty("0.10") });
  });

  it("reports every meter price problem at once, with a target per dimension", () => {
    const result = validatePrivateOffer(
      {
        ...valid,
        plans: [
          {
            planId: "metered",
            absolutePrice: "1.001",
            dimensionPrices: { "api-calls": "0.0000001", storage: "-1", calls: "0.1" },
          },
          { planId: "basic", discountPercent: "20", dimensionPrices: { "api-calls": "0.1" } },
        ],
      },
      { offer, plans },
      today,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((found) => found.target)).toEqual([
      "plans[0].absolutePrice",
      "plans[0].dimensionPrices.api-calls",
      "plans[0].dimensionPrices.storage",
      "plans[0].dimensionPrices.calls",
      "plans[1].dimensionPrices",
    ]);
  });

  it("refuses meter prices on a per-user offer", () => {
    const result = validatePrivateOffer(
      {
        ...valid,
        offerId: "seats",
        plans: [{ planId: "basic", absolutePrice: "5.00", dimensionPrices: { "api-calls": "0.1" } }],
      },
      { offer: { ...offer, offerId: "seats", pricingModel: "perUser" }, plans },
      today,
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        { target: "plans[0].dimensionPrices", message: expect.stringMatching(/only for flat-rate/) },
      ],
    });
  });

  const cases: [string, Partial<PrivateOfferInput>, string, RegExp][] = [
    ["unknown offer", { offerId: "nope" }, "offerId", /no offer "nope"/],
    [
      "unknown plan",
      { plans: [{ planId: "gold", discountPercent: "5" }] },
      "plans[0].planId",
      /no plan "gold"/,
    ],
    [
      "stop-sold plan",
      { plans: [{ planId: "legacy", discountPercent: "5" }] },
      "plans[0].planId",
      /no longer sold/,
    ],
    [
      "plan named twice",
      {
        plans: [
          { planId: "basic", discountPercent: "5" },
          { planId: "basic", discountPercent: "6" },
        ],
      },
      "plans[1].planId",
      /named twice/,
    ],
    ["neither price", { plans: [{ planId: "basic" }] }, "plans[0]", /exactly one/],
    [
      "both prices",
      { plans: [{ planId: "basic", discountPercent: "5", absolutePrice: "1.00" }] },
      "plans[0]",
      /exactly one/,
    ],
    [
      "0 percent",
      { plans: [{ planId: "basic", discountPercent: "0" }] },
      "plans[0].discountPercent",
      /more than 0/,
    ],
    [
      "100 percent",
      { plans: [{ planId: "basic", discountPercent: "100" }] },
      "plans[0].discountPercent",
      /less than 100/,
    ],
    [
      "negative percent",
      { plans: [{ planId: "basic", discountPercent: "-5" }] },
      "plans[0].discountPercent",
      /negative/,
    ],
    [
      "percent not a number",
      { plans: [{ planId: "basic", discountPercent: "abc" }] },
      "plans[0].discountPercent",
      /decimal/,
    ],
    [
      "price with 3 decimals",
      { plans: [{ planId: "basic", absolutePrice: "1.005" }] },
      "plans[0].absolutePrice",
      /2 decimal places/,
    ],
    [
      "negative price",
      { plans: [{ planId: "basic", absolutePrice: "-1" }] },
      "plans[0].absolutePrice",
      /negative/,
    ],
    [
      "price on a two-currency plan",
      { plans: [{ planId: "global", absolutePrice: "5.00" }] },
      "plans[0].absolutePrice",
      /2 currencies/,
    ],
    [
      "meter prices with a discount",
      { plans: [{ planId: "metered", discountPercent: "20", dimensionPrices: { "api-calls": "0.1" } }] },
      "plans[0].dimensionPrices",
      /absolutePrice only/,
    ],
    [
      "a meter price for a dimension the plan does not have",
      { plans: [{ planId: "metered", absolutePrice: "5", dimensionPrices: { calls: "0.1" } }] },
      "plans[0].dimensionPrices.calls",
      /no metering dimension "calls" \(it has api-calls, storage\)/,
    ],
    [
      "a meter price on a plan without meters",
      { plans: [{ planId: "basic", absolutePrice: "5", dimensionPrices: { "api-calls": "0.1" } }] },
      "plans[0].dimensionPrices.api-calls",
      /it has none/,
    ],
    [
      "a meter price with 7 decimals",
      { plans: [{ planId: "metered", absolutePrice: "5", dimensionPrices: { "api-calls": "0.0000001" } }] },
      "plans[0].dimensionPrices.api-calls",
      /6 decimal places/,
    ],
    [
      "a negative meter price",
      { plans: [{ planId: "metered", absolutePrice: "5", dimensionPrices: { storage: "-0.1" } }] },
      "plans[0].dimensionPrices.storage",
      /negative/,
    ],
    [
      "a meter price that is not a number",
      { plans: [{ planId: "metered", absolutePrice: "5", dimensionPrices: { storage: "free" } }] },
      "plans[0].dimensionPrices.storage",
      /decimal/,
    ],
    [
      "31 meter prices",
      {
        plans: [
          {
            planId: "many-meters",
            absolutePrice: "5",
            dimensionPrices: Object.fromEntries(Array.from({ length: 31 }, (_, k) => [`d${k}`, "0.1"])),
          },
        ],
      },
      "plans[0].dimensionPrices",
      /at most 30/,
    ],
    [
      "a meter price on a dimension in another currency",
      { plans: [{ planId: "eu-meter", absolutePrice: "5", dimensionPrices: { "api-calls": "0.1" } }] },
      "plans[0].dimensionPrices.api-calls",
      /priced in EUR, not in the plan's USD/,
    ],
    ["no plans", { plans: [] }, "plans", /between 1 and 10/],
    [
      "eleven plans",
      { plans: Array.from({ length: 11 }, (_, index) => ({ planId: `p${index}`, discountPercent: "5" })) },
      "plans",
      /between 1 and 10/,
    ],
    ["not a day", { validFrom: "2026-02-30" }, "validFrom", /date such as/],
    [
      "validTo before validFrom",
      { validFrom: "2026-06-01", validTo: "2026-05-31" },
      "validTo",
      /after validFrom/,
    ],
    [
      "validTo equal to validFrom",
      { validFrom: "2026-06-01", validTo: "2026-06-01", acceptBy: "2026-06-01" },
      "validTo",
      /after validFrom/,
    ],
    ["acceptBy after validTo", { acceptBy: "2027-01-01" }, "acceptBy", /not be after validTo/],
    ["acceptBy past", { acceptBy: "2026-03-09" }, "acceptBy", /already past/],
  ];
  it.each(cases)("rejects %s", (_name, change, target, message) => {
    const result = validatePrivateOffer(
      { ...valid, ...change },
      { offer: change.offerId ? undefined : offer, plans },
      today,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContainEqual({ target, message: expect.stringMatching(message) });
  });

  it("accepts acceptBy today and acceptBy equal to validTo", () => {
    expect(validatePrivateOffer({ ...valid, acceptBy: today }, { offer, plans }, today).ok).toBe(true);
    expect(validatePrivateOffer({ ...valid, acceptBy: valid.validTo }, { offer, plans }, today).ok).toBe(
      true,
    );
  });
});

const stored = (change: Partial<PrivateOffer> = {}): PrivateOffer => ({
  id: "00000000-0000-4000-8000-000000000001",
  publisherId: "contoso",
  offerId: "analytics",
  name: "deal",
  customerTenantId: customer,
  audience: "customer",
  acceptBy: "2026-03-31",
  validFrom: "2026-03-01",
  validTo: "2026-12-31",
  status: "pending",
  createdAt: "2026-03-01T00:00:00.000Z",
  updatedAt: "2026-03-01T00:00:00.000Z",
  acceptedAt: null,
  withdrawnAt: null,
  plans: [{ planId: "basic", kind: "discount", discountPercent: "20" }],
  ...change,
});

describe("states", () => {
  const cases: [string, Partial<PrivateOffer>, string, string, boolean, boolean][] = [
    // name, offer, now, status read, may accept, may withdraw
    ["pending before accept-by", {}, "2026-03-10T12:00:00Z", "pending", true, true],
    [
      "pending on the last second of the accept-by day",
      {},
      "2026-03-31T23:59:59.999Z",
      "pending",
      true,
      true,
    ],
    ["pending the day after accept-by", {}, "2026-04-01T00:00:00Z", "expired", false, false],
    [
      "accepted",
      { status: "accepted", acceptedAt: "2026-03-02T00:00:00.000Z" },
      "2026-03-10T00:00:00Z",
      "accepted",
      false,
      false,
    ],
    [
      "accepted, read after accept-by",
      { status: "accepted" },
      "2026-05-01T00:00:00Z",
      "accepted",
      false,
      false,
    ],
    ["withdrawn", { status: "withdrawn" }, "2026-03-10T00:00:00Z", "withdrawn", false, false],
  ];
  it.each(cases)("%s", (_name, change, now, status, mayAccept, mayWithdraw) => {
    const offerNow = stored(change);
    const at = new Date(now);
    expect(statusAt(offerNow, at)).toBe(status);
    expect(decideAccept(offerNow, at).ok).toBe(mayAccept);
    expect(decideWithdraw(offerNow, at).ok).toBe(mayWithdraw);
  });

  it("explains an expired acceptance", () => {
    expect(decideAccept(stored(), new Date("2026-04-02T00:00:00Z"))).toEqual({
      ok: false,
      message: expect.stringMatching(/expired: it had to be accepted by 2026-03-31/),
    });
  });
});

describe("appliesToParties", () => {
  const other = "dddddddd-0000-4000-8000-000000000004";
  const cases: [string, "customer" | "reseller", string, string, string, boolean][] = [
    ["customer offer, direct purchase", "customer", customer, customer, customer, true],
    ["customer offer, another tenant", "customer", customer, other, other, false],
    ["customer offer, the customer buying as a reseller", "customer", customer, other, customer, false],
    [
      "customer offer, bought for the customer by a reseller",
      "customer",
      customer,
      customer,
      reseller,
      false,
    ],
    ["reseller offer, reseller purchase", "reseller", reseller, customer, reseller, true],
    ["reseller offer, the reseller buying for itself", "reseller", reseller, reseller, reseller, false],
  ];
  it.each(cases)("%s", (_name, audience, tenant, beneficiary, purchaser, expected) => {
    expect(
      appliesToParties(
        { audience, customerTenantId: tenant },
        { beneficiaryTenantId: beneficiary, purchaserTenantId: purchaser },
      ),
    ).toBe(expected);
  });
});

describe("effectivePrivatePrice", () => {
  const ref = { publisherId: "contoso", offerId: "analytics", planId: "basic" };
  const monthlyTerm = { termUnit: "P1M", paymentOption: "upfront" } as const;
  const older = stored({ status: "accepted", acceptedAt: "2026-03-02T00:00:00.000Z" });
  const newer = stored({
    id: "00000000-0000-4000-8000-000000000002",
    status: "accepted",
    acceptedAt: "2026-03-05T00:00:00.000Z",
    validFrom: "2026-04-01",
    plans: [{ planId: "basic", kind: "absolute", absolutePrice: "30.00", currency: "USD" }],
  });

  it("takes the newest accepted offer whose window holds the term start", () => {
    const inBoth = effectivePrivatePrice(
      [older, newer],
      customer,
      ref,
      new Date("2026-04-10T00:00:00Z"),
      monthlyTerm,
    );
    expect(inBoth?.privateOfferId).toBe(newer.id);
    const onlyOlder = effectivePrivatePrice(
      [older, newer],
      customer,
      ref,
      new Date("2026-03-10T00:00:00Z"),
      monthlyTerm,
    );
    expect(onlyOlder).toEqual({
      privateOfferId: older.id,
      price: {
        kind: "discount",
        percent: "20",
        validFrom: new Date("2026-03-01T00:00:00.000Z"),
        validTo: new Date("2026-12-31T00:00:00.000Z"),
      },
    });
  });

  it("turns an absolute price per payment into the term's price", () => {
    const result = effectivePrivatePrice([newer], customer, ref, new Date("2026-04-10T00:00:00Z"), {
      termUnit: "P1Y",
      paymentOption: "monthly",
    });
    expect(result?.price).toMatchObject({ kind: "absolute", pricePerTerm: "360.00" });
    // The billing domain then charges it: 12 payments of 30.00.
    const charge = termCharge({
      pricingModel: "flatRate",
      billingTerm: { termUnit: "P1Y", price: "40.00", currency: "USD", paymentOption: "monthly" },
      termStart: new Date("2026-04-10T00:00:00Z"),
      ...(result ? { privatePrice: result.price } : {}),
    });
    expect([formatMoney(charge.amount), formatMoney(charge.listAmount)]).toEqual(["360.00", "480.00"]);
  });

  it("passes an absolute price's meter prices to the billing domain", () => {
    const metered = stored({
      status: "accepted",
      acceptedAt: "2026-03-05T00:00:00.000Z",
      plans: [
        {
          planId: "basic",
          kind: "absolute",
          absolutePrice: "30.00",
          currency: "USD",
          dimensionPrices: { "api-calls": "0.008" },
        },
      ],
    });
    const termStart = new Date("2026-04-10T00:00:00Z");
    const result = effectivePrivatePrice([metered], customer, ref, termStart, monthlyTerm);
    expect(result?.price).toEqual({
      kind: "absolute",
      pricePerTerm: "30.00",
      dimensionPrices: { "api-calls": "0.008" },
      validFrom: new Date("2026-03-01T00:00:00.000Z"),
      validTo: new Date("2026-12-31T00:00:00.000Z"),
    });
    expect(meterUnitPrice(apiCalls, result?.price, termStart)).toBe("0.008");
    expect(meterUnitPrice(storage, result?.price, termStart)).toBe("0.50");
    // Without meter prices the price carries none, and every meter keeps its list price.
    const plain = effectivePrivatePrice([newer], customer, ref, termStart, monthlyTerm);
    expect(plain?.price).not.toHaveProperty("dimensionPrices");
    expect(meterUnitPrice(apiCalls, plain?.price, termStart)).toBe("0.25");
  });

  const none: [string, PrivateOffer[], string, Partial<typeof ref>, string][] = [
    ["pending offers", [stored()], customer, {}, "2026-03-10"],
    ["withdrawn offers", [stored({ status: "withdrawn" })], customer, {}, "2026-03-10"],
    ["another tenant", [older], reseller, {}, "2026-03-10"],
    ["a plan the offer does not name", [older], customer, { planId: "pro" }, "2026-03-10"],
    ["another publisher's plan of the same id", [older], customer, { publisherId: "fabrikam" }, "2026-03-10"],
    ["a term starting before validFrom", [older], customer, {}, "2026-02-28"],
    ["a term starting after validTo", [older], customer, {}, "2027-01-01"],
  ];
  it.each(none)("gives nothing for %s", (_name, offers, tenant, change, day) => {
    expect(
      effectivePrivatePrice(offers, tenant, { ...ref, ...change }, new Date(`${day}T08:00:00Z`), monthlyTerm),
    ).toBeUndefined();
  });

  it("includes both window days", () => {
    for (const day of ["2026-03-01", "2026-12-31"]) {
      expect(
        effectivePrivatePrice([older], customer, ref, new Date(`${day}T23:00:00Z`), monthlyTerm),
      ).toBeDefined();
    }
  });
});

describe("coveringPrivateOffer", () => {
  const ref = { publisherId: "contoso", offerId: "analytics", planId: "basic" };
  const parties = { beneficiaryTenantId: customer, purchaserTenantId: customer };
  it("covers a purchase until validTo, even before validFrom, newest acceptance first", () => {
    const a = stored({ status: "accepted", acceptedAt: "2026-03-02T00:00:00.000Z", validFrom: "2026-05-01" });
    const b = stored({
      id: "00000000-0000-4000-8000-000000000009",
      status: "accepted",
      acceptedAt: "2026-03-03T00:00:00.000Z",
    });
    expect(coveringPrivateOffer([a, b], parties, ref, "2026-03-10")?.id).toBe(b.id);
    expect(coveringPrivateOffer([a], parties, ref, "2026-03-10")?.id).toBe(a.id);
    expect(coveringPrivateOffer([a], parties, ref, "2027-01-01")).toBeUndefined();
    expect(coveringPrivateOffer([stored()], parties, ref, "2026-03-10")).toBeUndefined();
  });
});
