import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { api, purchase } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";
import {
  type DemoLogRecord,
  demoContosoToken,
  demoLog,
  formAction,
  hiddenField,
  postForm,
} from "./support.js";

describe.each(databaseKinds)("demo ISV app: real webhook deliveries on %s", (kind) => {
  let server: TestServer;
  let publisher: ReturnType<typeof api>;
  beforeAll(async () => {
    server = await startTestServer({ database: kind, settings: { demoCatalog: true } });
    publisher = api(server, await demoContosoToken(server));
  });
  afterAll(async () => server?.stop());

  /** Buys Starter and activates it through the demo app's landing page, as a buyer would. */
  async function activeSubscription(): Promise<string> {
    const { landingPageUrl, subscriptionId } = await purchase(server, {
      offerId: "contoso-analytics",
      planId: "starter",
    });
    const page = await (await fetch(landingPageUrl)).text();
    const activated = await postForm(server, formAction(page) ?? "", {
      csrf: hiddenField(page, "csrf") ?? "",
    });
    expect(activated.status).toBe(303);
    return subscriptionId;
  }

  async function setMode(mode: string): Promise<void> {
    const page = await (await server.fetch("/demo-isv/contoso/")).text();
    const saved = await postForm(server, "/demo-isv/contoso/settings", {
      mode,
      csrf: hiddenField(page, "csrf") ?? "",
    });
    expect(saved.status).toBe(303);
  }

  async function operatorChange(subscriptionId: string, body: unknown): Promise<string> {
    const response = await server.fetch(`/operator/v1/subscriptions/${subscriptionId}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${server.operatorKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const result = (await response.json()) as { operationId: string };
    expect(response.status, JSON.stringify(result)).toBe(202);
    return result.operationId;
  }

  /** Runs the background work until the condition holds (bounded; deliveries also run on their own). */
  async function eventually<T>(probe: () => Promise<T | undefined>): Promise<T> {
    const giveUpAt = Date.now() + 20_000;
    while (Date.now() < giveUpAt) {
      const value = await probe();
      if (value !== undefined) return value;
      await server.handle.runBackgroundWork();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error("the condition never held");
  }

  const webhookRecord = (operationId: string, kinds = ["webhook"]) =>
    eventually(async () => {
      const records = await demoLog(server);
      return records.find(
        (r) => kinds.includes(r.kind) && r.detail.operationId === operationId && "answer" in r.detail,
      );
    });

  const operation = async (subscriptionId: string, operationId: string) =>
    (await publisher("GET", `/saas/subscriptions/${subscriptionId}/operations/${operationId}`)).json as {
      status: string;
    };

  it("verifies a buyer's plan change, confirms it with Get Operation and acknowledges it from inside the call", async () => {
    await setMode("accept");
    const subscriptionId = await activeSubscription();
    const operationId = await operatorChange(subscriptionId, { planId: "professional" });
    const record = await webhookRecord(operationId);
    expect(record.detail).toMatchObject({
      action: "ChangePlan",
      payloadStatus: "InProgress",
      verified: true,
      operationStatus: "InProgress",
      decision: "acknowledge",
      answer: 200,
    });
    expect(typeof record.detail.deliveryId).toBe("string");
    const acks = (await demoLog(server)).filter(
      (r: DemoLogRecord) => r.kind === "ack" && r.detail.operationId === operationId,
    );
    expect(acks).toHaveLength(1);
    expect((await operation(subscriptionId, operationId)).status).toBe("Succeeded");
    const subscription = await publisher("GET", `/saas/subscriptions/${subscriptionId}`);
    expect(subscription.json.planId).toBe("professional");
  });

  it("receives and verifies the publisher's own plan change (PATCH through the API)", async () => {
    await setMode("accept");
    const subscriptionId = await activeSubscription();
    const patched = await publisher("PATCH", `/saas/subscriptions/${subscriptionId}`, {
      body: { planId: "professional" },
    });
    expect(patched.status).toBe(202);
    const operationId = patched.headers.get("operation-id") ?? "";
    const record = await webhookRecord(operationId);
    // A Partner-initiated change needs no acknowledgement: the app checks it with Get Operation and records it.
    expect(record.detail).toMatchObject({
      action: "ChangePlan",
      verified: true,
      decision: "record",
      answer: 200,
    });
    const finished = await eventually(async () => {
      const current = await operation(subscriptionId, operationId);
      return current.status === "InProgress" || current.status === "NotStarted" ? undefined : current;
    });
    expect(finished.status).toBe("Succeeded");
  });

  it("rejects plan changes with 400 when set to, which fails the operation", async () => {
    await setMode("reject-changes");
    try {
      const subscriptionId = await activeSubscription();
      const operationId = await operatorChange(subscriptionId, { planId: "professional" });
      const record = await webhookRecord(operationId);
      expect(record.detail).toMatchObject({ decision: "reject", answer: 400, verified: true });
      const failed = await eventually(async () => {
        const current = await operation(subscriptionId, operationId);
        return current.status === "Failed" ? current : undefined;
      });
      expect(failed.status).toBe("Failed");
      expect((await publisher("GET", `/saas/subscriptions/${subscriptionId}`)).json.planId).toBe("starter");
    } finally {
      await setMode("accept");
    }
  });

  it("answers 503 while set to fail, and handles the marketplace's retry once it accepts again", async () => {
    const subscriptionId = await activeSubscription();
    await setMode("fail");
    let operationId: string;
    try {
      operationId = await operatorChange(subscriptionId, { planId: "professional" });
      const refused = await webhookRecord(operationId, ["webhook-refused"]);
      expect(refused.detail).toMatchObject({ answer: 503, verified: true });
    } finally {
      await setMode("accept");
    }
    const accepted = await webhookRecord(operationId);
    expect(accepted.detail).toMatchObject({ decision: "acknowledge", answer: 200 });
    expect((await operation(subscriptionId, operationId)).status).toBe("Succeeded");
  });

  it("records a suspension and acknowledges the reinstatement, which makes the subscription active again", async () => {
    await setMode("accept");
    const subscriptionId = await activeSubscription();
    const billing = async (event: string) => {
      const response = await server.fetch(`/operator/v1/subscriptions/${subscriptionId}/${event}`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.operatorKey}` },
      });
      const result = (await response.json()) as { operationId: string };
      expect(response.status, JSON.stringify(result)).toBeLessThan(300);
      return result.operationId;
    };
    const suspended = await webhookRecord(await billing("payment-failed"));
    expect(suspended.detail).toMatchObject({ action: "Suspend", decision: "record", answer: 200 });
    const reinstateId = await billing("payment-recovered");
    const reinstated = await webhookRecord(reinstateId);
    expect(reinstated.detail).toMatchObject({ action: "Reinstate", decision: "acknowledge", answer: 200 });
    expect((await operation(subscriptionId, reinstateId)).status).toBe("Succeeded");
    const subscription = await publisher("GET", `/saas/subscriptions/${subscriptionId}`);
    expect(subscription.json.saasSubscriptionStatus).toBe("Subscribed");
  });

  it("answers a repeated delivery 200 without acting twice", async () => {
    await setMode("accept");
    const subscriptionId = await activeSubscription();
    const fault = await server.fetch("/operator/v1/faults", {
      method: "POST",
      headers: { authorization: `Bearer ${server.operatorKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        target: "webhook",
        kind: "duplicate",
        publisherId: "contoso",
        subscriptionId,
        count: 1,
      }),
    });
    expect(fault.status).toBe(201);
    const operationId = await operatorChange(subscriptionId, { planId: "professional" });
    const duplicate = await webhookRecord(operationId, ["webhook-duplicate"]);
    const original = await webhookRecord(operationId);
    expect(duplicate.detail.deliveryId).toBe(original.detail.deliveryId);
    const acks = (await demoLog(server)).filter(
      (r) => r.kind === "ack" && r.detail.operationId === operationId,
    );
    expect(acks).toHaveLength(1);
  });

  it("confirms an auto-activation purchase's Subscribe with Get Subscription", async () => {
    const { subscriptionId } = await purchase(server, { offerId: "adatum-backup", planId: "instant" });
    const record = await eventually(async () =>
      (await demoLog(server, "adatum")).find(
        (r) => r.kind === "webhook" && r.subscriptionId === subscriptionId && "answer" in r.detail,
      ),
    );
    expect(record.detail).toMatchObject({
      action: "Subscribe",
      subscriptionStatus: "Subscribed",
      answer: 200,
    });
  });
});
