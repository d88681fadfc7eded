import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultBilling } from "../../../src/config/settings.js";
import { operator } from "../../clock/clock-support.js";
import { databaseKinds } from "../../support/databases.js";
import { api, publisherToken } from "../../support/marketplace-client.js";
import { ManualClock, startTestServer, type TestServer } from "../../support/server.js";
import { newTestClock } from "../ledger-support.js";
import { acceptedPrivateOffer, seedLedgerCatalog, setClock, tenants } from "./e2e-support.js";
import { expectStoredEqualsRebuilt } from "./rebuild-support.js";

/**
 * The property: invoices rebuilt from the event history equal the stored invoices. Random scripts
 * of purchases, plan and seat changes, usage, suspensions, cancellations and clock moves of random lengths
 * run against a real server (its background billing worker running as in production); then every
 * subscription's lines are rebuilt purely with computeLedger from its events and usage, and compared with
 * `ledger_lines`, and the month-end invoices of those lines with `invoices`.
 *
 * LEDGER_PROPERTY_RUNS sets the runs per database (12 by default), LEDGER_SEED replays a seed, and
 * LEDGER_PROPERTY_SHRINK=1 shrinks a counterexample (slow: every attempt replays a script on the server).
 */

const families = {
  flat: ["metered", "metered-pro", "basic"],
  seats: ["desk", "studio", "desk-upfront"],
} as const;

/** Which subscription an action is about: its index, modulo the subscriptions bought so far. */
type Slot = number;
interface Purchase {
  family: "flat" | "seats" | "trial";
  plan: number;
  annual: boolean;
  seats: number;
  payer: "buyer" | "stranger" | "reseller";
}
type Action =
  | ({ kind: "buy" } & Purchase)
  | { kind: "seats"; slot: Slot; seats: number }
  | { kind: "plan"; slot: Slot; plan: number }
  | { kind: "usage"; slot: Slot; dimension: "api-calls" | "storage"; quantity: number }
  | { kind: "cancel"; slot: Slot }
  | { kind: "autoRenewOff"; slot: Slot }
  | { kind: "suspend"; slot: Slot }
  | { kind: "reinstate"; slot: Slot }
  | { kind: "advance"; hours: number };

const slot = fc.nat(5);
const purchase: fc.Arbitrary<Purchase> = fc.record({
  family: fc.constantFrom(
    "flat" as const,
    "flat" as const,
    "seats" as const,
    "seats" as const,
    "trial" as const,
  ),
  plan: fc.nat(2),
  annual: fc.boolean(),
  seats: fc.integer({ min: 1, max: 30 }),
  payer: fc.constantFrom("buyer" as const, "stranger" as const, "reseller" as const),
});
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 1, arbitrary: purchase.map((bought) => ({ kind: "buy" as const, ...bought })) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("seats" as const),
      slot,
      seats: fc.integer({ min: 1, max: 30 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("plan" as const), slot, plan: fc.nat(2) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("usage" as const),
      slot,
      dimension: fc.constantFrom("api-calls" as const, "api-calls" as const, "storage" as const),
      quantity: fc.integer({ min: 1, max: 4000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), slot }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("autoRenewOff" as const), slot }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("suspend" as const), slot }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("reinstate" as const), slot }) },
  {
    weight: 7,
    arbitrary: fc.record({
      kind: fc.constant("advance" as const),
      hours: fc.oneof(fc.integer({ min: 1, max: 48 }), fc.integer({ min: 48, max: 24 * 75 })),
    }),
  },
);

const script = fc.record({
  startDay: fc.integer({ min: 0, max: 120 }),
  startHour: fc.integer({ min: 0, max: 23 }),
  purchases: fc.array(purchase, { minLength: 1, maxLength: 3 }),
  actions: fc.array(action, { minLength: 6, maxLength: 20 }),
  finalHours: fc.integer({ min: 1, max: 24 * 60 }),
});
type Script = typeof script extends fc.Arbitrary<infer T> ? T : never;

describe.each(databaseKinds)("invoices rebuilt from the event history on %s (property)", (database) => {
  let server: TestServer;
  let publisher: ReturnType<typeof api>;
  beforeAll(async () => {
    server = await startTestServer({
      database,
      clock: new ManualClock(new Date("2024-12-20T10:00:00.000Z")),
      seed: seedLedgerCatalog,
      // The billing worker polls all the time, so it runs in the middle of clock moves and changes too,
      // as it may in production (another process, or a move applying many transitions).
      settings: { billing: { ...defaultBilling, pollIntervalMs: 5 } },
    });
    publisher = api(server, await publisherToken(server, "contoso"));
    // Private prices for some purchases: the stranger's own deal, and the reseller's, for terms starting
    // in the first half of 2025 (later terms go back to list price).
    const window = { validFrom: "2025-01-01", validTo: "2025-06-30", acceptBy: "2025-06-30" };
    await acceptedPrivateOffer(server, {
      offerId: "analytics",
      customerTenantId: tenants.stranger,
      ...window,
      plans: [
        { planId: "metered", discountPercent: "20" },
        { planId: "basic", absolutePrice: "39.99" },
      ],
    });
    await acceptedPrivateOffer(server, {
      offerId: "seats",
      customerTenantId: tenants.stranger,
      ...window,
      plans: [{ planId: "studio", absolutePrice: "15.00" }],
    });
    await acceptedPrivateOffer(server, {
      offerId: "seats",
      customerTenantId: tenants.reseller,
      audience: "reseller",
      ...window,
      plans: [
        { planId: "desk", discountPercent: "15" },
        { planId: "desk-upfront", discountPercent: "12.5" },
      ],
    });
  });
  afterAll(async () => server?.stop());

  let runs = 0;

  /** Runs one script on its own test clock; answers the clock's time at the end. */
  async function play(drawn: Script) {
    const clock = `prop-${++runs}`;
    await newTestClock(server, clock);
    const start = new Date(Date.UTC(2025, 0, 1 + drawn.startDay, drawn.startHour, 17));
    let now = new Date((await setClock(server, clock, start.toISOString())).now);
    const bought: string[] = [];
    const row = (id: string) =>
      server.handle.database.db
        .selectFrom("subscriptions")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
    const allowed = (status: number, what: string, body: unknown) =>
      expect(status < 500, `${what}: ${status} ${JSON.stringify(body)}`).toBe(true);
    const move = async (hours: number) => {
      const moved = await operator(server, "POST", "/operator/v1/clock/advance", {
        duration: `PT${hours}H`,
        testClock: clock,
      });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      now = new Date(moved.body.now);
    };
    /** A marketplace change the publisher acknowledges at once (or a refusal, when it does not apply). */
    const change = async (id: string, path: string, method: string, body?: unknown) => {
      const asked = await operator(server, method, `/operator/v1/subscriptions/${id}${path}`, body);
      allowed(asked.status, `${method} ${path}`, asked.body);
      if (asked.status === 202) {
        const acked = await publisher(
          "PATCH",
          `/saas/subscriptions/${id}/operations/${asked.body.operationId}`,
          {
            body: { status: "Success" },
          },
        );
        expect(acked.status, acked.text).toBe(200);
      }
    };
    const buy = async (step: Purchase) => {
      const family = step.family;
      const planId = family === "trial" ? "trial" : families[family][step.plan % 3];
      const annual = family !== "trial" && step.annual;
      // A tenant's first purchase of the offer is the one with a free trial.
      const beneficiary =
        family === "trial" ? randomUUID() : step.payer === "stranger" ? tenants.stranger : tenants.buyer;
      const answer = await operator(server, "POST", "/store/v1/purchases", {
        offerId: family === "seats" ? "seats" : "analytics",
        planId,
        termUnit: annual ? "P1Y" : "P1M",
        ...(family === "seats" ? { quantity: step.seats } : {}),
        testClock: clock,
        beneficiary: { tenantId: beneficiary, emailId: "ada@buyer.example" },
        ...(step.payer === "reseller" && family !== "trial"
          ? { purchaser: { tenantId: tenants.reseller } }
          : {}),
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      const id = answer.body.subscriptionId as string;
      const activated = await publisher("POST", `/saas/subscriptions/${id}/activate`, { body: {} });
      expect(activated.status, activated.text).toBe(200);
      bought.push(id);
    };
    for (const step of drawn.purchases) await buy(step);
    for (const step of drawn.actions) {
      if (step.kind === "advance") {
        await move(step.hours);
        continue;
      }
      if (step.kind === "buy") {
        if (bought.length < 5) await buy(step);
        continue;
      }
      const id = bought[step.slot % bought.length];
      if (id === undefined) continue;
      const current = await row(id);
      switch (step.kind) {
        case "seats":
          if (current.quantity !== null) await change(id, "", "PATCH", { quantity: step.seats });
          break;
        case "plan": {
          const family = current.offer_id === "seats" ? families.seats : families.flat;
          await change(id, "", "PATCH", { planId: family[step.plan % 3] });
          break;
        }
        case "usage": {
          if (current.offer_id !== "analytics") break;
          const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
          const sent = await publisher("POST", "/usageEvent", {
            body: {
              resourceId: id,
              planId: current.plan_id,
              dimension: step.dimension,
              quantity: step.quantity,
              effectiveStartTime: hour.toISOString(),
            },
          });
          allowed(sent.status, "usage", sent.json);
          break;
        }
        case "cancel":
          await change(id, "", "DELETE");
          break;
        case "autoRenewOff":
          await change(id, "", "PATCH", { autoRenew: false });
          break;
        case "suspend":
          await change(id, "/payment-failed", "POST");
          break;
        case "reinstate":
          await change(id, "/payment-recovered", "POST");
          break;
      }
    }
    await move(drawn.finalHours);
    // Let a background run that may be in flight finish: billing runs are serialised in the process.
    await server.handle.runBackgroundWork();
    return { clock, now };
  }

  it("stores exactly the lines and invoices a rebuild from the events, usage and frozen prices gives", async () => {
    let lines = 0;
    let invoices = 0;
    await fc.assert(
      fc.asyncProperty(script, async (drawn) => {
        const { clock, now } = await play(drawn);
        const checked = await expectStoredEqualsRebuilt(server.handle.database.db, clock, now);
        lines += checked.lines;
        invoices += checked.invoices;
      }),
      {
        numRuns: Number(process.env.LEDGER_PROPERTY_RUNS ?? 12),
        ...(process.env.LEDGER_SEED ? { seed: Number(process.env.LEDGER_SEED) } : {}),
        endOnFailure: process.env.LEDGER_PROPERTY_SHRINK === undefined,
      },
    );
    // The scripts are not empty: they bought, charged and invoiced.
    expect(lines).toBeGreaterThan(0);
    expect(invoices).toBeGreaterThan(0);
  }, 120_000);
});
