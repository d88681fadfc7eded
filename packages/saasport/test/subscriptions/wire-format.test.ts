import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type WireSubscriptionRow,
  wireSubscription,
  wireSubscriptionJson,
} from "../../src/subscriptions/wire-format.js";

const identity = fc.record({
  emailId: fc.string(),
  objectId: fc.uuid(),
  tenantId: fc.uuid(),
  puid: fc.string({ maxLength: 16 }),
});
const instant = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true })
  .map((date) => date.toISOString());

/** Rows as Saasport stores them: its JSON columns written by JSON.stringify, any text elsewhere. */
const row: fc.Arbitrary<WireSubscriptionRow> = fc.record({
  id: fc.uuid(),
  publisher_id: fc.string(),
  offer_id: fc.string(),
  is_preview: fc.constantFrom(0, 1),
  name: fc.string({ unit: "binary" }),
  status: fc.constantFrom("PendingFulfillmentStart", "Subscribed", "Suspended", "Unsubscribed"),
  beneficiary: identity.map((value) => JSON.stringify(value)),
  purchaser: identity.map((value) => JSON.stringify(value)),
  plan_id: fc.string(),
  quantity: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null }),
  term_unit: fc.constantFrom("P1M", "P1Y", "P2Y", "P3Y"),
  term_start: fc.option(instant, { nil: null }),
  term_end: fc.option(instant, { nil: null }),
  payment_option: fc.constantFrom("monthly", "annual", "upfront", "Monthly"),
  auto_renew: fc.constantFrom(0, 1),
  is_test: fc.constantFrom(0, 1),
  is_free_trial: fc.constantFrom(0, 1),
  allowed_customer_operations: fc
    .subarray(["Delete", "Read", "Update"])
    .map((operations) => JSON.stringify(operations)),
  sandbox_type: fc.constantFrom("None", "Csp"),
  created_at: instant,
  updated_at: instant,
  session_mode: fc.constantFrom("None", "DryRun"),
}) as fc.Arbitrary<WireSubscriptionRow>;

describe("the wire form written straight to JSON text", () => {
  it("is exactly JSON.stringify of the wire object, for any stored row, pricing model, lastModified style and flat-rate quantity", () => {
    fc.assert(
      fc.property(
        row,
        fc.constantFrom("flatRate" as const, "perUser" as const),
        fc.constantFrom("real" as const, "dotnetDefault" as const),
        fc.constantFrom("absent" as const, "null" as const),
        (stored, pricingModel, lastModifiedStyle, flatRateQuantity) => {
          const fidelity = { lastModifiedStyle, flatRateQuantity };
          expect(wireSubscriptionJson(stored, pricingModel, fidelity)).toBe(
            JSON.stringify(wireSubscription(stored, pricingModel, fidelity)),
          );
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
