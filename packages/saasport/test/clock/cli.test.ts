import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { ManualClock, startTestServer, type TestServer } from "../support/server.js";
import { eventsOf, insertSubscription, seedWithWebhook, start } from "./clock-support.js";

describe("saasport clock", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      database: "sqlite",
      clock: new ManualClock(start),
      seed: seedWithWebhook(),
    });
  });
  afterAll(async () => server?.stop());

  /** Runs the command line in this process and collects what it printed. */
  async function saasport(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((line: unknown) => void out.push(String(line)));
    const error = vi
      .spyOn(console, "error")
      .mockImplementation((line: unknown) => void err.push(String(line)));
    try {
      const code = await main([
        "clock",
        ...args,
        ...["--url", server.url, "--operator-key", server.operatorKey],
      ]);
      return { code, stdout: out.join("\n"), stderr: err.join("\n") };
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  }

  it("shows, creates, advances and sets clocks, for people and with --json", async () => {
    const shown = await saasport("show");
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/clock\s+global/);
    expect(shown.stdout).toContain(start.toISOString());

    expect((await saasport("create", "cli-clock")).code).toBe(0);
    const id = await insertSubscription(server, { testClock: "cli-clock" });
    const advanced = await saasport("advance", "P1M", "--test-clock", "cli-clock", "--json");
    expect(advanced.code, advanced.stderr).toBe(0);
    expect(JSON.parse(advanced.stdout)).toMatchObject({
      testClock: "cli-clock",
      now: "2025-02-15T10:00:00.000Z",
      transitions: { renewed: 1 },
    });
    expect(await eventsOf(server, id)).toHaveLength(1);

    const set = await saasport("set", "2025-03-15T12:00:00Z", "--test-clock", "cli-clock");
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/renewed\s+1/);
    expect(set.stdout).toMatch(/clock\s+test clock cli-clock/);

    const listed = await saasport("list", "--json");
    expect(
      JSON.parse(listed.stdout).clocks.map((clock: { testClock: string | null }) => clock.testClock),
    ).toEqual([null, "cli-clock"]);
  });

  it("explains refusals and bad input, and exits with 2", async () => {
    const back = await saasport("set", "2020-01-01T00:00:00Z");
    expect(back.code).toBe(2);
    expect(back.stderr).toContain("only move forward");
    const badDuration = await saasport("advance", "soon");
    expect(badDuration.code).toBe(2);
    expect(badDuration.stderr).toContain("ISO-8601 duration");
    const badTime = await saasport("set", "someday");
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toContain("not a date-time");
    const missing = await saasport("show", "--test-clock", "nowhere");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no test clock "nowhere"');
  });
});
