import { describe, expect, it } from "vitest";
import { webhookClaimProblems } from "../../src/demo-isv/webhook-claims.js";
import { decideWebhook } from "../../src/demo-isv/webhook-decision.js";
import { readWebhookCall } from "../../src/demo-isv/webhook-route.js";

const marketplace = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";
const app = {
  clientId: "aaaaaaaa-1111-1111-1111-111111111111",
  tenantId: "11111111-1111-1111-1111-111111111111",
};
const good = { aud: app.clientId, tid: app.tenantId, azp: marketplace };

describe("webhook claim checks (SaaS Accelerator rules)", () => {
  it.each([
    ["a v2 token from the marketplace", good, []],
    ["a v1 token (appid instead of azp)", { aud: app.clientId, tid: app.tenantId, appid: marketplace }, []],
    ["ids in upper case", { ...good, aud: app.clientId.toUpperCase(), tid: app.tenantId.toUpperCase() }, []],
    ["an audience list holding the app", { ...good, aud: ["other", app.clientId] }, []],
    ["any issuer (not checked)", { ...good, iss: "https://elsewhere.example/" }, []],
    ["another audience", { ...good, aud: marketplace }, ["aud"]],
    ["no audience", { tid: app.tenantId, azp: marketplace }, ["aud"]],
    ["another tenant", { ...good, tid: "22222222-2222-2222-2222-222222222222" }, ["tid"]],
    ["the publisher app as caller", { ...good, azp: app.clientId }, ["azp"]],
    ["no caller", { aud: app.clientId, tid: app.tenantId }, ["azp"]],
    ["nothing right", {}, ["aud", "tid", "azp"]],
  ])("%s", (_name, claims, expected) => {
    const problems = webhookClaimProblems(claims, app);
    expect(problems.map((problem) => problem.split(/[ /]/)[0])).toEqual(expected);
  });
});

describe("what the app does about a verified webhook", () => {
  it.each([
    ["accept", "ChangePlan", "InProgress", "acknowledge"],
    ["accept", "ChangeQuantity", "InProgress", "acknowledge"],
    ["accept", "Reinstate", "InProgress", "acknowledge"],
    ["accept", "ChangePlan", "Succeeded", "record"],
    ["accept", "ChangePlan", "Failed", "record"],
    ["accept", "Unsubscribe", "Succeeded", "record"],
    ["accept", "Suspend", "Succeeded", "record"],
    ["accept", "Renew", "Succeeded", "record"],
    ["accept", "Subscribe", "Succeeded", "record"],
    ["reject-changes", "ChangePlan", "InProgress", "reject"],
    ["reject-changes", "ChangeQuantity", "InProgress", "reject"],
    ["reject-changes", "ChangePlan", "Succeeded", "record"],
    ["reject-changes", "Reinstate", "InProgress", "acknowledge"],
    ["reject-changes", "Unsubscribe", "Succeeded", "record"],
  ] as const)("%s: %s %s → %s", (mode, action, status, expected) => {
    expect(decideWebhook(mode, { action, status })).toBe(expected);
  });
});

describe("reading a webhook payload", () => {
  const payload = {
    id: "op",
    subscriptionId: "sub",
    action: "ChangePlan",
    status: "InProgress",
    extra: { x: 1 },
  };
  it("takes what it needs and tolerates unknown fields", () => {
    expect(readWebhookCall(JSON.stringify(payload))).toEqual({
      id: "op",
      subscriptionId: "sub",
      action: "ChangePlan",
      status: "InProgress",
    });
  });
  it.each([
    ["not JSON", "{", "not a JSON object"],
    ["an array", "[]", "not a JSON object"],
    ["no id", JSON.stringify({ ...payload, id: undefined }), "lacks"],
    ["an unknown action", JSON.stringify({ ...payload, action: "Explode" }), "unknown action"],
    ["an unknown status", JSON.stringify({ ...payload, status: "Maybe" }), "unknown status"],
  ])("refuses %s", (_name, text, reason) => {
    expect(readWebhookCall(text)).toContain(reason);
  });
});
