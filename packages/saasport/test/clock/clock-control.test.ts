import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultLifecycle } from "../../src/config/settings.js";
import { databaseKinds } from "../support/databases.js";
import { ManualClock, startTestServer, type TestServer } from "../support/server.js";
import { advance, eventsOf, insertSubscription, operator, seedWithWebhook, start } from "./clock-support.js";

describe.each(databaseKinds)("clock control on %s", (database) => {
  let server: TestServer;
  let locked: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database, clock: new ManualClock(start), seed: seedWithWebhook() });
    locked = await startTestServer({
      database,
      clock: new ManualClock(start),
      settings: { lifecycle: { ...defaultLifecycle, clockControl: false } },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await locked?.stop();
  });

  it("reads the global clock and lists clocks", async () => {
    const answer = await operator(server, "GET", "/operator/v1/clock");
    expect(answer).toEqual({
      status: 200,
      body: { testClock: null, now: start.toISOString(), offsetMs: 0, realNow: start.toISOString() },
    });
    const list = await operator(server, "GET", "/operator/v1/clocks");
    expect(list.status).toBe(200);
    expect(list.body.clocks[0]).toMatchObject({ testClock: null });
    expect(list.body.clockControl).toBe(true);
  });

  it("moves a test clock and only its own subscriptions; the global clock leaves test clocks alone", async () => {
    expect((await operator(server, "POST", "/operator/v1/clocks", { name: "isolated.clock_1" })).status).toBe(
      201,
    );
    expect((await operator(server, "POST", "/operator/v1/clocks", { name: "isolated.clock_1" })).status).toBe(
      200,
    );
    const onTestClock = await insertSubscription(server, { testClock: "isolated.clock_1" });
    const onGlobal = await insertSubscription(server);

    const moved = await advance(server, "P1M", "isolated.clock_1");
    expect(moved).toMatchObject({ testClock: "isolated.clock_1", transitions: { renewed: 1 } });
    expect((await eventsOf(server, onTestClock)).map((event) => event.type)).toEqual(["Renewed"]);
    expect(await eventsOf(server, onGlobal)).toEqual([]);
    const global = await operator(server, "GET", "/operator/v1/clock");
    expect(global.body.now).toBe(start.toISOString());
    const test = await operator(server, "GET", "/operator/v1/clock?testClock=isolated.clock_1");
    expect(test.body).toMatchObject({ testClock: "isolated.clock_1", now: "2025-02-15T10:00:00.000Z" });
    expect(test.body.offsetMs).toBe(31 * 86_400_000);

    // The global clock catches up with the test clock: its subscription renews, the test clock stays put.
    const globalMove = await advance(server, 31 * 86_400_000);
    expect(globalMove).toMatchObject({ testClock: null, transitions: { renewed: 1 } });
    expect((await eventsOf(server, onGlobal)).map((event) => event.type)).toEqual(["Renewed"]);
    expect(await eventsOf(server, onTestClock)).toHaveLength(1);
    expect((await operator(server, "GET", "/operator/v1/clock?testClock=isolated.clock_1")).body.now).toBe(
      "2025-02-15T10:00:00.000Z",
    );
  });

  it("sets a clock forward, firing what is due, and refuses to set it back", async () => {
    await operator(server, "POST", "/operator/v1/clocks", { name: "setter" });
    const id = await insertSubscription(server, { testClock: "setter", termUnit: "P1Y" });
    const set = await operator(server, "PUT", "/operator/v1/clock", {
      now: "2027-01-15T00:00:00Z",
      testClock: "setter",
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ now: "2027-01-15T00:00:00.000Z", transitions: { renewed: 2 } });
    expect((await eventsOf(server, id)).map((event) => event.occurred_at)).toEqual([
      "2026-01-15T00:00:00.000Z",
      "2027-01-15T00:00:00.000Z",
    ]);
    const back = await operator(server, "PUT", "/operator/v1/clock", {
      now: "2026-01-01T00:00:00Z",
      testClock: "setter",
    });
    expect(back.status).toBe(409);
    expect(back.body.error.message).toContain("only move forward");
    expect((await operator(server, "GET", "/operator/v1/clock?testClock=setter")).body.now).toBe(
      "2027-01-15T00:00:00.000Z",
    );
  });

  it.each([
    ["POST", "/operator/v1/clock/advance", { duration: "one day" }, 400, "duration"],
    ["POST", "/operator/v1/clock/advance", { duration: -5 }, 400, "duration"],
    ["POST", "/operator/v1/clock/advance", {}, 400, "duration"],
    ["POST", "/operator/v1/clock/advance", { duration: "P200Y" }, 400, "duration"],
    ["POST", "/operator/v1/clock/advance", { duration: "P1D", testClock: "no such" }, 400, "testClock"],
    ["POST", "/operator/v1/clock/advance", { duration: "P1D", testClock: "missing" }, 404, "testClock"],
    ["POST", "/operator/v1/clock/advance?waitSeconds=0", { duration: "P1D" }, 400, "waitSeconds"],
    ["PUT", "/operator/v1/clock", { now: "tomorrow" }, 400, "now"],
    ["PUT", "/operator/v1/clock", { now: "2000-01-01T00:00:00Z" }, 409, "now"],
    ["POST", "/operator/v1/clocks", { name: "x".repeat(65) }, 400, "name"],
    ["POST", "/operator/v1/clocks", { name: "a/b" }, 400, "name"],
    ["POST", "/operator/v1/clocks", {}, 400, "name"],
    ["POST", "/operator/v1/clocks", [], 400, "body"],
  ])("%s %s %j answers %i on %s", async (method, path, body, status, target) => {
    const answer = await operator(server, method, path, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(answer.body.error.target).toBe(target);
    expect(answer.body.error.message.length).toBeGreaterThan(10);
  });

  it("refuses to move clocks without the operator key", async () => {
    const response = await server.fetch("/operator/v1/clock/advance", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ duration: "P1D" }),
    });
    expect(response.status).toBe(401);
  });

  it("refuses every move when clock control is off, and still tells the time", async () => {
    for (const [method, path, body] of [
      ["POST", "/operator/v1/clock/advance", { duration: "P1D" }],
      ["PUT", "/operator/v1/clock", { now: "2030-01-01T00:00:00Z" }],
      ["POST", "/operator/v1/clocks", { name: "nope" }],
    ] as const) {
      const answer = await operator(locked, method, path, body);
      expect(answer.status).toBe(403);
      expect(answer.body.error).toMatchObject({ code: "ClockControlDisabled" });
      expect(answer.body.error.message).toContain("SAASPORT_CLOCK_CONTROL");
    }
    expect((await operator(locked, "GET", "/operator/v1/clock")).body.now).toBe(start.toISOString());
  });
});
