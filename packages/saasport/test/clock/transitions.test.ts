import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { defaultLifecycle, type LifecycleSettings } from "../../src/config/settings.js";
import { databaseKinds } from "../support/databases.js";
import { ManualClock, startTestServer, type TestServer } from "../support/server.js";
import {
  advance,
  deliveriesOf,
  eventsOf,
  insertSubscription,
  insertSubscriptions,
  operator,
  seedWithWebhook,
  start,
  subscription,
  subscriptionRow,
} from "./clock-support.js";

/**
 * One server per database; each test runs on its own test clock, so tests do not move each other's time.
 */
describe.each(databaseKinds)("timed transitions on %s", (database) => {
  let shared: TestServer;
  let own: TestServer | undefined;
  let clockCount = 0;
  beforeAll(async () => {
    shared = await serve({ pendingExpiryDays: 7 });
  });
  afterAll(async () => shared?.stop());
  afterEach(async () => {
    await own?.stop();
    own = undefined;
  });

  function serve(lifecycle: Partial<LifecycleSettings> = {}, clock = new ManualClock(start)) {
    return startTestServer({
      database,
      clock,
      seed: seedWithWebhook(),
      settings: { lifecycle: { ...defaultLifecycle, ...lifecycle } },
    });
  }

  /** A fresh test clock on the shared server, starting at `start`. */
  async function testClock(): Promise<{ server: TestServer; clock: string }> {
    const clock = `test-${++clockCount}`;
    const created = await operator(shared, "POST", "/operator/v1/clocks", { name: clock });
    expect(created.status).toBe(201);
    expect(created.body.now).toBe(start.toISOString());
    return { server: shared, clock };
  }

  it("renews once when the clock passes the term end: new term from the day after endDate, Renew queued", async () => {
    const { server, clock } = await testClock();
    const id = await insertSubscription(server, { testClock: clock, termUnit: "P1M", quantity: null });
    const before = await subscription(server, id);
    expect([before.term_start, before.term_end]).toEqual([
      "2025-01-15T00:00:00.000Z",
      "2025-02-14T00:00:00.000Z",
    ]);
    expect(before.next_due_at).toBe("2025-02-15T00:00:00.000Z");

    const moved = await advance(server, "P1M", clock);
    expect(moved).toMatchObject({
      before: "2025-01-15T10:00:00.000Z",
      now: "2025-02-15T10:00:00.000Z",
      testClock: clock,
      transitions: { renewed: 1, trialsConverted: 0, unsubscribed: 0 },
    });
    const after = await subscription(server, id);
    expect(after).toMatchObject({
      status: "Subscribed",
      term_start: "2025-02-15T00:00:00.000Z",
      term_end: "2025-03-14T00:00:00.000Z",
      next_due_at: "2025-03-15T00:00:00.000Z",
    });
    const events = await eventsOf(server, id);
    expect(events.map((event) => [event.type, event.actor, event.occurred_at])).toEqual([
      ["Renewed", "marketplace", "2025-02-15T00:00:00.000Z"],
    ]);
    const [delivery] = await deliveriesOf(server, id);
    const payload = JSON.parse(delivery?.payload ?? "{}");
    expect(delivery?.action).toBe("Renew");
    expect(payload).toMatchObject({
      action: "Renew",
      status: "Succeeded",
      operationRequestSource: "Azure",
      planId: "basic",
      subscriptionId: id,
      subscription: { term: { startDate: "2025-02-15T00:00:00Z", endDate: "2025-03-14T00:00:00Z" } },
    });
    expect(payload.id).toMatch(/^[0-9a-f-]{36}$/);

    // Nothing more is due until the next term ends.
    expect((await advance(server, "P27D", clock)).transitions.renewed).toBe(0);
    expect(await eventsOf(server, id)).toHaveLength(1);
    expect((await advance(server, "P1D", clock)).transitions.renewed).toBe(1);
    expect((await subscription(server, id)).term_end).toBe("2025-04-14T00:00:00.000Z");
  });

  it("clamps term ends at month ends across renewals (Jan 31 → Feb 27, then Feb 28 → Mar 27)", async () => {
    const { server, clock } = await testClock();
    const id = await insertSubscription(server, {
      testClock: clock,
      activatedAt: new Date("2025-01-31T08:00:00Z"),
    });
    await operator(server, "PUT", "/operator/v1/clock", { now: "2025-01-31T09:00:00Z", testClock: clock });
    const moved = await advance(server, "P2M", clock);
    expect(moved.transitions.renewed).toBe(2);
    const events = await eventsOf(server, id);
    expect(events.map((event) => [event.occurred_at, JSON.parse(event.data)])).toEqual([
      [
        "2025-02-28T00:00:00.000Z",
        { termStartDate: "2025-02-28T00:00:00.000Z", termEndDate: "2025-03-27T00:00:00.000Z" },
      ],
      [
        "2025-03-28T00:00:00.000Z",
        { termStartDate: "2025-03-28T00:00:00.000Z", termEndDate: "2025-04-27T00:00:00.000Z" },
      ],
    ]);
  });

  it("ends a subscription with auto-renew off at its term end", async () => {
    const { server, clock } = await testClock();
    const id = await insertSubscription(server, { testClock: clock, autoRenew: false, termUnit: "P1Y" });
    expect((await advance(server, "P1Y", clock)).transitions).toEqual({
      renewed: 0,
      trialsConverted: 0,
      unsubscribed: 1,
    });
    expect(await subscription(server, id)).toMatchObject({
      status: "Unsubscribed",
      unsubscribed_at: "2026-01-15T00:00:00.000Z",
      next_due_at: null,
    });
    const [event] = await eventsOf(server, id);
    expect([event?.type, JSON.parse(event?.data ?? "{}")]).toEqual(["Unsubscribed", { reason: "termEnded" }]);
    const [delivery] = await deliveriesOf(server, id);
    expect(JSON.parse(delivery?.payload ?? "{}")).toMatchObject({
      action: "Unsubscribe",
      status: "Succeeded",
      subscription: { saasSubscriptionStatus: "Unsubscribed" },
    });
  });

  it("converts a free trial after one month into a paid term, with a Renew webhook", async () => {
    const { server, clock } = await testClock();
    const id = await insertSubscription(server, { testClock: clock, planId: "trial", freeTrial: true });
    expect((await subscription(server, id)).trial_ends_at).toBe("2025-02-15T00:00:00.000Z");
    expect((await advance(server, "P1M", clock)).transitions.trialsConverted).toBe(1);
    expect(await subscription(server, id)).toMatchObject({
      is_free_trial: 0,
      trial_ends_at: null,
      term_start: "2025-02-15T00:00:00.000Z",
      term_end: "2025-03-14T00:00:00.000Z",
    });
    expect((await eventsOf(server, id)).map((event) => event.type)).toEqual(["TrialConverted"]);
    const [delivery] = await deliveriesOf(server, id);
    expect(JSON.parse(delivery?.payload ?? "{}")).toMatchObject({
      action: "Renew",
      subscription: { isFreeTrial: false },
    });
  });

  it("sends no webhook for a trial conversion when trialConversionWebhook is none", async () => {
    const server = await serve({ trialConversionWebhook: "none" });
    own = server;
    const id = await insertSubscription(server, { planId: "trial", freeTrial: true });
    expect((await advance(server, "P1M")).transitions.trialsConverted).toBe(1);
    expect(await deliveriesOf(server, id)).toEqual([]);
  });

  it("unsubscribes a Suspended subscription after the 30-day grace period", async () => {
    const { server, clock } = await testClock();
    const id = await insertSubscription(server, {
      testClock: clock,
      status: "Suspended",
      suspendedAt: start,
    });
    expect((await advance(server, "P29D", clock)).transitions.unsubscribed).toBe(0);
    expect((await advance(server, "P1D", clock)).transitions.unsubscribed).toBe(1);
    expect((await subscription(server, id)).status).toBe("Unsubscribed");
    const [event] = await eventsOf(server, id);
    expect([event?.occurred_at, JSON.parse(event?.data ?? "{}")]).toEqual([
      "2025-02-14T10:00:00.000Z",
      { reason: "gracePeriodEnded" },
    ]);
  });

  it("expires a never-activated purchase when pendingExpiryDays is set", async () => {
    const { server, clock } = await testClock();
    const id = await insertSubscription(server, { testClock: clock, status: "PendingFulfillmentStart" });
    expect((await advance(server, "P6D", clock)).transitions.unsubscribed).toBe(0);
    expect((await advance(server, "P1D", clock)).transitions.unsubscribed).toBe(1);
    const [event] = await eventsOf(server, id);
    expect(JSON.parse(event?.data ?? "{}")).toEqual({ reason: "neverActivated" });
    expect((await deliveriesOf(server, id)).map((delivery) => delivery.action)).toEqual(["Unsubscribe"]);
  });

  it("fires due transitions from the background poll when real time passes them", async () => {
    const clock = new ManualClock(start);
    own = await serve({}, clock);
    const id = await insertSubscription(own);
    clock.advance(31 * 86_400_000);
    await own.handle.runBackgroundWork();
    expect((await eventsOf(own, id)).map((event) => event.type)).toEqual(["Renewed"]);
  });

  it("sets a bad row aside, logs it and goes on with the others", async () => {
    const { server, clock } = await testClock();
    const good = await insertSubscription(server, { testClock: clock });
    const badTerm = subscriptionRow({ testClock: clock });
    const ghostOffer = subscriptionRow({ testClock: clock, offerId: "ghost" });
    await insertSubscriptions(server.handle.database.db, [{ ...badTerm, term_unit: "P7X" }, ghostOffer]);
    const moved = await advance(server, "P1M", clock);
    expect(moved.transitions.renewed).toBe(1);
    expect(moved.overdue).toBe(2);
    expect((await eventsOf(server, good)).map((event) => event.type)).toEqual(["Renewed"]);
    expect(await eventsOf(server, badTerm.id as string)).toEqual([]);
    expect(await eventsOf(server, ghostOffer.id as string)).toEqual([]);
    // The scheduler keeps working: the good subscription renews again a month later.
    expect((await advance(server, "P1M", clock)).transitions.renewed).toBe(1);
  });
});
