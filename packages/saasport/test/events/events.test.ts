import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatEvent } from "../../src/cli/events.js";
import { databaseKinds } from "../support/databases.js";
import { seedFixtureCatalog } from "../support/fixture-catalog.js";
import { api, publisherToken, purchase } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";

interface EventView {
  position: number;
  seq: number;
  type: string;
  subscriptionId: string;
  publisherId: string;
  actor: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** Reads server-sent events from a streaming response until `count` arrived. */
async function readEvents(
  response: Response,
  count: number,
): Promise<Array<{ id: string; event: EventView }>> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const received: Array<{ id: string; event: EventView }> = [];
  let buffer = "";
  while (received.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let boundary = buffer.indexOf("\n\n");
    while (boundary >= 0) {
      const lines = buffer.slice(0, boundary).split("\n");
      buffer = buffer.slice(boundary + 2);
      const id = lines.find((line) => line.startsWith("id: "))?.slice(4);
      const data = lines.find((line) => line.startsWith("data: "))?.slice(6);
      if (id && data) received.push({ id, event: JSON.parse(data) as EventView });
      boundary = buffer.indexOf("\n\n");
    }
  }
  await reader.cancel();
  return received;
}

describe.each(databaseKinds)("the event log on %s", (database) => {
  let server: TestServer;
  let contoso: string;
  let fabrikam: string;

  beforeAll(async () => {
    server = await startTestServer({ database, seed: seedFixtureCatalog });
    contoso = await publisherToken(server, "contoso");
    fabrikam = await publisherToken(server, "fabrikam");
  });
  afterAll(() => server?.stop());

  const get = async (path: string, token: string) => {
    const response = await server.fetch(path, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  async function boughtAndActivated() {
    const { subscriptionId } = await purchase(server, { offerId: "seats", planId: "team", quantity: 2 });
    const call = api(server, contoso);
    expect((await call("POST", `/saas/subscriptions/${subscriptionId}/activate`)).status).toBe(200);
    expect(
      (await call("PATCH", `/saas/subscriptions/${subscriptionId}`, { body: { quantity: 3 } })).status,
    ).toBe(202);
    await server.handle.runBackgroundWork();
    return subscriptionId;
  }

  it("numbers a subscription's events 1, 2, 3 and pages through them with after", async () => {
    const id = await boughtAndActivated();
    const all = await get(`/partner/v1/events?subscriptionId=${id}`, contoso);
    expect(all.status).toBe(200);
    const events = all.json.events as EventView[];
    expect(events.map((event) => [event.seq, event.type, event.actor])).toEqual([
      [1, "Purchased", "buyer"],
      [2, "Activated", "publisher"],
      [3, "QuantityChanged", "publisher"],
    ]);
    expect(events[2]?.data).toMatchObject({ fromQuantity: 2, toQuantity: 3, source: "Partner" });
    const page = await get(`/partner/v1/events?subscriptionId=${id}&after=1&limit=1`, contoso);
    expect((page.json.events as EventView[]).map((event) => event.seq)).toEqual([2]);
    expect(page.json.nextAfter).toBe(2);
  });

  it("shows a publisher only its own events", async () => {
    const id = await boughtAndActivated();
    const theirs = await get(`/partner/v1/events?subscriptionId=${id}`, fabrikam);
    expect(theirs.status).toBe(404);
    const listed = await get("/partner/v1/events?limit=1000", fabrikam);
    expect((listed.json.events as EventView[]).every((event) => event.publisherId === "fabrikam")).toBe(true);
    expect((await get("/partner/v1/events", "forged")).status).toBe(401);
    expect((await get("/partner/v1/events?after=-1", contoso)).status).toBe(400);
    expect((await get("/partner/v1/events?type=Renewed;DROP", contoso)).status).toBe(400);
  });

  it("filters by type and lets the operator read every publisher", async () => {
    await boughtAndActivated();
    const activated = await get("/operator/v1/events?type=Activated&limit=1000", server.operatorKey);
    const types = new Set((activated.json.events as EventView[]).map((event) => event.type));
    expect([...types]).toEqual(["Activated"]);
    expect((await get("/operator/v1/events", contoso)).status).toBe(401);
  });

  it("streams new events as they are recorded and resumes after Last-Event-ID", async () => {
    const latest = await get("/operator/v1/events/latest", server.operatorKey);
    const start = latest.json.position as number;
    const stream = await server.fetch(`/partner/v1/events/stream?after=${start}`, {
      headers: { authorization: `Bearer ${contoso}` },
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const arriving = readEvents(stream, 3);
    const id = await boughtAndActivated();
    const received = await arriving;
    expect(received.map(({ event }) => [event.subscriptionId, event.type])).toEqual([
      [id, "Purchased"],
      [id, "Activated"],
      [id, "QuantityChanged"],
    ]);

    const resumed = await server.fetch("/partner/v1/events/stream", {
      headers: { authorization: `Bearer ${contoso}`, "last-event-id": received[1]?.id ?? "" },
    });
    const replay = await readEvents(resumed, 1);
    expect(replay[0]?.event.type).toBe("QuantityChanged");
  });

  it("formats an event as one terminal line", () => {
    const line = formatEvent({
      position: 7,
      subscriptionId: "s-1",
      publisherId: "contoso",
      seq: 3,
      type: "QuantityChanged",
      actor: "publisher",
      occurredAt: "2026-01-02T03:04:05.000Z",
      data: { fromQuantity: 2, toQuantity: 3, missing: null },
    });
    expect(line).toBe(
      "2026-01-02T03:04:05.000Z  #7       QuantityChanged           contoso/s-1#3  by publisher  fromQuantity=2 toQuantity=3",
    );
  });
});
