import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { businessNow, buy, type MeteringServer, startMeteringServer } from "./metering-support.js";

/** Property: whatever a metering call carries, the answer is a success or an explained 4xx, never a 5xx. */
const eventLike = (subscriptionId: () => string) =>
  fc
    .record(
      {
        resourceId: fc.oneof(fc.constant("real"), fc.uuid(), fc.string({ maxLength: 60 }), fc.anything()),
        resourceUri: fc.oneof(fc.string({ maxLength: 200 }), fc.anything()),
        quantity: fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -1, 1e10 + 1, 0.5), fc.anything()),
        dimension: fc.oneof(
          fc.constantFrom("api-calls", "storage-gb", ""),
          fc.string({ maxLength: 40 }),
          fc.anything(),
        ),
        effectiveStartTime: fc.oneof(
          fc
            .date({
              min: new Date(businessNow.getTime() - 30 * 3_600_000),
              max: new Date(businessNow.getTime() + 3_600_000),
              noInvalidDate: true,
            })
            .map((date) => date.toISOString()),
          fc.string({ maxLength: 40 }),
          fc.anything(),
        ),
        planId: fc.oneof(fc.constantFrom("basic", "pro"), fc.anything()),
      },
      { requiredKeys: [] },
    )
    .map((event) => (event.resourceId === "real" ? { ...event, resourceId: subscriptionId() } : event));

describe.each(databaseKinds)("malformed metering input on %s", (kind) => {
  let env: MeteringServer;
  let subscriptionId: string;
  beforeAll(async () => {
    env = await startMeteringServer(kind);
    subscriptionId = await buy(env);
  });
  afterAll(async () => env?.server.stop());

  it("never answers 5xx and always explains a 4xx", { timeout: 120_000 }, async () => {
    const event = eventLike(() => subscriptionId);
    const body = fc.oneof(
      event.map((value) => JSON.stringify(value)),
      fc.array(event, { maxLength: 30 }).map((request) => JSON.stringify({ request })),
      fc.array(event, { maxLength: 3 }).map((request) => JSON.stringify(request)),
      fc.json(),
      fc.string({ maxLength: 200 }),
      fc.constantFrom("", "{", "null", '{"request":null}', '{"request":{}}', '{"request":[null]}'),
    );
    const query = fc.oneof(
      fc.constant(""),
      fc.string({ maxLength: 60 }).map((value) => `usageStartDate=${encodeURIComponent(value)}`),
      fc
        .tuple(
          fc.constantFrom(
            "UsageEndDate",
            "usageEndDate",
            "offerId",
            "planId",
            "dimension",
            "azureSubscriptionId",
            "reconStatus",
          ),
          fc.string({ maxLength: 60 }),
        )
        .map(([name, value]) => `usageStartDate=2026-05-01&${name}=${encodeURIComponent(value)}&${name}=x`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/usageEvent", "/batchUsageEvent", "/usageEvents"),
        body,
        query,
        fc.constantFrom("application/json", "text/plain", undefined),
        async (path, text, extraQuery, type) => {
          const method = path === "/usageEvents" ? "GET" : "POST";
          const response = await env.contoso(method, `${path}${extraQuery ? `?${extraQuery}` : ""}`, {
            ...(method === "POST" ? { body: text } : {}),
            headers: type ? { "content-type": type } : {},
          });
          expect(response.status, response.text).toBeLessThan(500);
          if (response.status >= 400) {
            expect(
              typeof response.json?.message === "string" || typeof response.json?.Error?.Message === "string",
              response.text,
            ).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
    const alive = await env.contoso("GET", "/usageEvents?usageStartDate=2026-05-01");
    expect(alive.status).toBe(200);
  });
});
