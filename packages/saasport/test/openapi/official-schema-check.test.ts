import { describe, expect, it } from "vitest";
import { assertAnswerMatchesOfficialSchema, officialOperationOf } from "../support/openapi.js";

const sid = "7f8d9a10-1111-4a2b-9c3d-abcdefabcdef";
const oid = "0a1b2c3d-2222-4e5f-8a9b-0123456789ab";

describe("the tests' check of every /api answer against the official files", () => {
  it.each([
    ["POST", "/saas/subscriptions/resolve", "FulfillmentOperations_Resolve"],
    ["GET", "/saas/subscriptions", "FulfillmentOperations_ListSubscriptions"],
    ["GET", "/saas/subscriptions/?continuationToken=x", "FulfillmentOperations_ListSubscriptions"],
    ["GET", `/saas/subscriptions/${sid}`, "FulfillmentOperations_GetSubscription"],
    ["PATCH", `/saas/subscriptions/${sid}`, "FulfillmentOperations_UpdateSubscription"],
    ["DELETE", `/saas/subscriptions/${sid}`, "FulfillmentOperations_DeleteSubscription"],
    [
      "GET",
      `/saas/subscriptions/${sid}/listAvailablePlans?planId=p`,
      "FulfillmentOperations_ListAvailablePlans",
    ],
    ["POST", `/saas/subscriptions/${sid}/activate`, "FulfillmentOperations_ActivateSubscription"],
    ["GET", `/saas/subscriptions/${sid}/operations`, "SubscriptionOperations_ListOperations"],
    ["GET", `/saas/subscriptions/${sid}/operations/${oid}`, "SubscriptionOperations_GetOperationStatus"],
    ["PATCH", `/saas/subscriptions/${sid}/operations/${oid}`, "SubscriptionOperations_UpdateOperationStatus"],
    ["POST", "/usageEvent", "MeteringOperations_PostUsageEvent"],
    ["POST", "/batchUsageEvent", "MeteringOperations_PostBatchUsageEvent"],
    ["GET", "/usageEvents?usageStartDate=2026-01-01", "MeteringOperations_GetUsageEvent"],
    ["GET", "/saas/subscriptions/resolve", "FulfillmentOperations_GetSubscription"],
    ["GET", "/saas/unknown/path", undefined],
    ["PUT", `/saas/subscriptions/${sid}`, undefined],
  ])("%s %s is %s", (method, path, operationId) => {
    expect(officialOperationOf(method, path)).toBe(operationId);
  });

  it("rejects a body that breaks the schema of a declared status and lets the others through", () => {
    const good = {
      id: sid,
      publisherId: "contoso",
      offerId: "offer",
      name: "n",
      saasSubscriptionStatus: "Subscribed",
      beneficiary: { tenantId: sid },
      purchaser: { tenantId: sid },
      planId: "gold",
      term: { termUnit: "P1M" },
      autoRenew: true,
      isTest: false,
      isFreeTrial: false,
      allowedCustomerOperations: ["Read"],
      sandboxType: "None",
      sessionMode: "None",
    };
    expect(() =>
      assertAnswerMatchesOfficialSchema("GET", `/saas/subscriptions/${sid}`, 200, good),
    ).not.toThrow();
    const badEnum = { ...good, saasSubscriptionStatus: "Active" };
    expect(() =>
      assertAnswerMatchesOfficialSchema("GET", `/saas/subscriptions/${sid}`, 200, badEnum),
    ).toThrow(/does not match the official schema/);
    // 401 is in no official file, and a 202 has no body: nothing to hold them to.
    expect(() =>
      assertAnswerMatchesOfficialSchema("GET", `/saas/subscriptions/${sid}`, 401, { a: 1 }),
    ).not.toThrow();
    expect(() =>
      assertAnswerMatchesOfficialSchema("PATCH", `/saas/subscriptions/${sid}`, 202, { a: 1 }),
    ).not.toThrow();
  });

  it("tolerates the usage aggregates' live reconStatus values the file lacks (spec §10.21), and no others", () => {
    const row = (reconStatus: string) => ({
      usageDate: "2026-05-01T00:00:00Z",
      usageResourceId: sid,
      dimension: "api-calls",
      planId: "basic",
      planName: "basic plan",
      offerId: "analytics",
      offerName: "analytics",
      offerType: "SaaS",
      azureSubscriptionId: oid,
      reconStatus,
      submittedQuantity: 1,
      processedQuantity: 0,
      submittedCount: 1,
    });
    const path = "/usageEvents?usageStartDate=2026-05-01";
    for (const status of ["Accepted", "TestHeaders", "DryRun"]) {
      expect(() => assertAnswerMatchesOfficialSchema("GET", path, 200, [row(status)])).not.toThrow();
    }
    expect(() => assertAnswerMatchesOfficialSchema("GET", path, 200, [row("Pending")])).toThrow(
      /does not match the official schema/,
    );
  });
});
