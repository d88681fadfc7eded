import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultBilling } from "../../../src/config/settings.js";
import { databaseKinds } from "../../support/databases.js";
import { seedFixtureCatalog } from "../../support/fixture-catalog.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { asOperator, asPublisher } from "./payouts-support.js";

/** Decimals per currency, written out here so the test does not lean on the code it checks. */
const decimals: Record<string, number> = { USD: 2, EUR: 2, JPY: 0 };

/** "−12.34" → −1234n, checking the amount has exactly its currency's decimals. */
function minorUnits(amount: string, currency: string): bigint {
  const places = decimals[currency] ?? 2;
  expect(amount, `${amount} ${currency}`).toMatch(
    places === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${places}}$`),
  );
  return BigInt(amount.replace(".", ""));
}

/** numerator / denominator rounded to the nearest integer, an exact half to the even one. */
function roundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const sign = numerator < 0n ? -1n : 1n;
  const magnitude = sign * numerator;
  const quotient = magnitude / denominator;
  const twiceRemainder = (magnitude % denominator) * 2n;
  const up = twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n);
  return sign * (quotient + (up ? 1n : 0n));
}

const line = fc.record({
  publisher: fc.constantFrom("contoso", "fabrikam"),
  plan: fc.constantFrom(["analytics", "basic"], ["seats", "team"]),
  kind: fc.constantFrom("instalment", "prorationCredit", "prorationCharge", "refund", "overage"),
  day: fc.integer({ min: 1, max: 28 }),
  // Up to 3e15 minor units a line, so sums pass 2^53: nothing may go through a float.
  minor: fc.bigInt({ min: -2_000_000n, max: 3_000_000_000_000_000n }),
});
const invoice = fc.record({
  currency: fc.constantFrom("USD", "EUR", "JPY"),
  month: fc.constantFrom("2025-01", "2025-02", "2025-03"),
  status: fc.constantFrom("paid", "paid", "open", "failed"),
  paidAt: fc.constantFrom(
    "2025-02-01T00:00:00.000Z",
    "2025-02-28T23:59:59.999Z",
    "2025-03-01T00:00:00.000Z",
    "2025-04-15T08:30:00.000Z",
  ),
  lines: fc.array(line, { minLength: 1, maxLength: 6 }),
});

type Invoice = typeof invoice extends fc.Arbitrary<infer T> ? T : never;

describe.each(databaseKinds)("fee + payout = collected, for any paid invoices, on %s", (database) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      database,
      seed: seedFixtureCatalog,
      settings: { billing: { ...defaultBilling, storeFeePercent: "2.5" } },
    });
  });
  afterAll(async () => server?.stop());

  async function store(invoices: readonly Invoice[]): Promise<void> {
    const db = server.handle.database.db;
    await db.deleteFrom("ledger_lines").execute();
    await db.deleteFrom("invoices").execute();
    const now = new Date().toISOString();
    for (const drawn of invoices) {
      const id = randomUUID();
      const total = drawn.lines.reduce((sum, entry) => sum + entry.minor, 0n);
      await db
        .insertInto("invoices")
        .values({
          id,
          billing_account: randomUUID(),
          clock: "property",
          currency: drawn.currency,
          month: drawn.month,
          status: drawn.status as "paid" | "open" | "failed",
          total: String(total),
          total_minor: total.toString(),
          line_count: drawn.lines.length,
          issued_at: "2025-02-01T00:00:00.000Z",
          paid_at: drawn.status === "paid" ? drawn.paidAt : null,
          failed_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await db
        .insertInto("ledger_lines")
        .values(
          drawn.lines.map((entry) => ({
            id: randomUUID(),
            line_key: randomUUID(),
            subscription_id: randomUUID(),
            publisher_id: entry.publisher,
            offer_id: entry.plan[0] ?? "",
            plan_id: entry.plan[1] ?? "",
            billing_account: "property",
            clock: "property",
            kind: entry.kind as "instalment",
            description: "drawn by fast-check",
            on_day: `${drawn.month}-${String(entry.day).padStart(2, "0")}`,
            period_start: `${drawn.month}-01`,
            period_end: `${drawn.month}-28`,
            quantity: null,
            unit_price: null,
            currency: drawn.currency,
            amount: "not read by payouts",
            amount_minor: entry.minor.toString(),
            list_amount: null,
            reseller_margin: null,
            private_offer_id: null,
            invoice_id: id,
            created_at: now,
          })),
        )
        .execute();
    }
  }

  /** What the statements must say, summed independently of the code under test. */
  function expectedStatements(invoices: readonly Invoice[]) {
    const statements = new Map<string, { collected: bigint; invoices: number; lines: number }>();
    for (const drawn of invoices.filter((entry) => entry.status === "paid")) {
      const byPublisher = new Map<string, bigint[]>();
      for (const entry of drawn.lines)
        byPublisher.set(entry.publisher, [...(byPublisher.get(entry.publisher) ?? []), entry.minor]);
      for (const [publisher, amounts] of byPublisher) {
        const key = `${publisher}|${drawn.paidAt.slice(0, 7)}|${drawn.currency}`;
        const statement = statements.get(key) ?? { collected: 0n, invoices: 0, lines: 0 };
        statement.collected += amounts.reduce((a, b) => a + b, 0n);
        statement.invoices += 1;
        statement.lines += amounts.length;
        statements.set(key, statement);
      }
    }
    return statements;
  }

  it("matches an independent sum, rounds the fee once half-even, and pays out the exact rest", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(invoice, { minLength: 0, maxLength: 12 }), async (invoices) => {
        await store(invoices);
        const answer = await asOperator(server, "/operator/v1/payouts");
        expect(answer.status, answer.text).toBe(200);
        expect(answer.json.storeFeePercent).toBe("2.5");
        const expected = expectedStatements(invoices);
        expect(answer.json.statements).toHaveLength(expected.size);
        for (const statement of answer.json.statements) {
          const key = `${statement.publisherId}|${statement.month}|${statement.currency}`;
          const want = expected.get(key);
          expect(want, key).toBeDefined();
          const collected = minorUnits(statement.collected, statement.currency);
          const fee = minorUnits(statement.storeFee, statement.currency);
          expect(collected).toBe(want?.collected);
          expect(fee + minorUnits(statement.payout, statement.currency)).toBe(collected);
          expect(fee).toBe(roundHalfEven(collected * 25n, 1000n));
          expect([statement.invoices, statement.lines]).toEqual([want?.invoices, want?.lines]);
        }

        // Revenue sees the same lines by their dates: each month's total is its plans' and kinds' sum.
        const revenue = await asPublisher(server, "contoso", "/partner/v1/revenue?from=2025-01&to=2025-03");
        for (const month of revenue.json.months) {
          const own = invoices
            .filter((drawn) => drawn.month === month.month && drawn.currency === month.currency)
            .flatMap((drawn) => drawn.lines.map((entry) => ({ ...entry, paid: drawn.status === "paid" })))
            .filter((entry) => entry.publisher === "contoso");
          const sum = (entries: typeof own) => entries.reduce((total, entry) => total + entry.minor, 0n);
          expect(minorUnits(month.total, month.currency)).toBe(sum(own));
          expect(minorUnits(month.invoiced, month.currency)).toBe(sum(own));
          expect(minorUnits(month.collected, month.currency)).toBe(sum(own.filter((entry) => entry.paid)));
          const byKinds = month.offers.flatMap((plan: { byKind: Record<string, string> }) =>
            Object.values(plan.byKind).map((amount) => minorUnits(amount, month.currency)),
          );
          expect(byKinds.reduce((a: bigint, b: bigint) => a + b, 0n)).toBe(sum(own));
        }
      }),
      { numRuns: 40 },
    );
  });
});
