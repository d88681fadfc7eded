import { describe, expect, it } from "vitest";
import {
  type AckContext,
  decideAcknowledge,
  decideActivate,
  decideCancel,
  decideChange,
  type SubscriptionStatus,
} from "../../src/subscriptions/lifecycle-rules.js";

const all = ["Delete", "Read", "Update"] as const;

/** Spec §6.3: what each call may do in each state. */
describe("F2 activate by state", () => {
  it.each<[SubscriptionStatus, string]>([
    ["PendingFulfillmentStart", "ok"],
    ["Subscribed", "BadRequest"],
    ["Suspended", "BadRequest"],
    ["Unsubscribed", "EntityNotFound"],
  ])("%s → %s", (status, expected) => {
    const decision = decideActivate(status);
    expect(decision.ok ? "ok" : decision.code).toBe(expected);
  });
});

describe("F6 change plan/quantity by state and allowed operations", () => {
  it.each<[SubscriptionStatus, readonly ("Read" | "Update" | "Delete")[], string]>([
    ["PendingFulfillmentStart", all, "BadRequest"],
    ["Subscribed", all, "ok"],
    ["Subscribed", ["Read"], "BadRequest"],
    ["Subscribed", ["Read", "Delete"], "BadRequest"],
    ["Suspended", all, "BadRequest"],
    ["Unsubscribed", all, "BadRequest"],
  ])("%s with %j → %s", (status, operations, expected) => {
    const decision = decideChange(status, operations);
    expect(decision.ok ? "ok" : decision.code).toBe(expected);
  });
});

describe("F7 cancel by state, allowed operations and the refund window", () => {
  const base = {
    operations: all,
    refundWindowPassed: false,
    multiMonthTerm: false,
    rejectMultiMonthAfterRefundWindow: false,
  };
  it.each<[string, Parameters<typeof decideCancel>[0], string]>([
    ["pending", { ...base, status: "PendingFulfillmentStart" }, "ok"],
    ["subscribed", { ...base, status: "Subscribed" }, "ok"],
    ["suspended", { ...base, status: "Suspended" }, "ok"],
    ["unsubscribed", { ...base, status: "Unsubscribed" }, "BadRequest"],
    ["reseller (Read only)", { ...base, status: "Subscribed", operations: ["Read"] }, "BadRequest"],
    [
      "annual after 72 h, default policy",
      { ...base, status: "Subscribed", refundWindowPassed: true, multiMonthTerm: true },
      "ok",
    ],
    [
      "annual after 72 h, rejectMultiMonth",
      {
        ...base,
        status: "Subscribed",
        refundWindowPassed: true,
        multiMonthTerm: true,
        rejectMultiMonthAfterRefundWindow: true,
      },
      "BadRequest",
    ],
    [
      "monthly after 72 h, rejectMultiMonth",
      { ...base, status: "Subscribed", refundWindowPassed: true, rejectMultiMonthAfterRefundWindow: true },
      "ok",
    ],
    [
      "annual within 72 h, rejectMultiMonth",
      { ...base, status: "Subscribed", multiMonthTerm: true, rejectMultiMonthAfterRefundWindow: true },
      "ok",
    ],
  ])("%s → %s", (_name, context, expected) => {
    const decision = decideCancel(context);
    expect(decision.ok ? "ok" : decision.code).toBe(expected);
  });
});

describe("O3 acknowledge by action, status and source", () => {
  it.each<[AckContext, string]>([
    [{ action: "ChangePlan", status: "InProgress", source: "Azure" }, "ok"],
    [{ action: "ChangeQuantity", status: "InProgress", source: "Azure" }, "ok"],
    [{ action: "Reinstate", status: "InProgress", source: "Azure" }, "ok"],
    [{ action: "ChangePlan", status: "NotStarted", source: "Azure" }, "BadRequest"],
    [{ action: "ChangePlan", status: "Succeeded", source: "Azure" }, "Conflict"],
    [{ action: "ChangePlan", status: "Failed", source: "Azure" }, "Conflict"],
    [{ action: "ChangeQuantity", status: "Conflict", source: "Azure" }, "Conflict"],
    [{ action: "ChangePlan", status: "InProgress", source: "Partner" }, "PartnerOperation"],
    [{ action: "Unsubscribe", status: "InProgress", source: "Azure" }, "BadRequest"],
    [{ action: "Suspend", status: "InProgress", source: "Azure" }, "BadRequest"],
    [{ action: "Renew", status: "InProgress", source: "Azure" }, "BadRequest"],
  ])("%j → %s", (context, expected) => {
    const decision = decideAcknowledge(context);
    expect(decision.ok ? "ok" : decision.code).toBe(expected);
  });
});
