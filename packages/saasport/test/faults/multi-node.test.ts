import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases.js";
import { seedFixtureCatalog } from "../support/fixture-catalog.js";
import { api, publisherToken } from "../support/marketplace-client.js";
import { startTwoNodes, type TestServer } from "../support/server.js";
import { addFault, listFaults } from "./support.js";

/** Two Saasport processes on one PostgreSQL database share the faults and their counts. */
describe.skipIf(!databaseKinds.includes("postgres"))("faults on two nodes of one PostgreSQL database", () => {
  let nodes: Awaited<ReturnType<typeof startTwoNodes>> | undefined;
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    nodes = await startTwoNodes(seedFixtureCatalog);
    ({ first, second } = nodes);
  });
  afterAll(() => nodes?.stop());

  it("applies a fault added on one node on the other too, `count` times in all", async () => {
    const onFirst = api(first, await publisherToken(first, "contoso"));
    const onSecond = api(second, await publisherToken(second, "contoso"));
    // The second node lists faults before the fault exists, so it has to notice it later.
    expect((await onSecond("GET", "/saas/subscriptions")).status).toBe(200);
    const fault = await addFault(first, { target: "api", kind: "status", status: 503, count: 4 });

    let failed = 0;
    const deadline = Date.now() + 10_000;
    while ((await onSecond("GET", "/saas/subscriptions")).status !== 503) {
      if (Date.now() > deadline) throw new Error("the second node never applied the fault");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    failed++;
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? onFirst : onSecond)("GET", "/saas/subscriptions")),
    );
    failed += answers.filter((answer) => answer.status === 503).length;
    expect(answers.every((answer) => answer.status === 200 || answer.status === 503)).toBe(true);
    expect(failed).toBe(4);
    const stored = (await listFaults(second, "?all=true")).find((listed) => listed.id === fault.id);
    expect(stored).toMatchObject({ hits: 4, remaining: 0, active: false });
  });
});
