import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { seedFixtureCatalog } from "../support/fixture-catalog.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { type FaultView, listFaults } from "./support.js";

describe("saasport faults", () => {
  let server: TestServer;
  let printed: string[];
  let errors: string[];

  beforeAll(async () => {
    server = await startTestServer({ database: "sqlite", seed: seedFixtureCatalog });
  });
  afterAll(async () => server?.stop());
  beforeEach(() => {
    printed = [];
    errors = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void printed.push(String(line)));
    vi.spyOn(console, "error").mockImplementation((line: unknown) => void errors.push(String(line)));
  });
  afterEach(() => vi.restoreAllMocks());

  const faults = (...args: string[]) =>
    main(["faults", ...args, "--url", server.url, "--operator-key", server.operatorKey]);

  it("adds, lists and clears faults", async () => {
    expect(
      await faults("add", "--target", "webhook", "--kind", "status", "--status", "503", "--count", "3"),
    ).toBe(0);
    expect(printed.join("\n")).toMatch(/effect\s+status 503/);
    expect(printed.join("\n")).toMatch(/uses\s+0 applied, 3 of 3 left/);

    printed = [];
    const added = [
      "add",
      ...["--target", "api", "--kind", "status", "--status", "503"],
      ...["--probability", "0.3", "--seed", "42", "--publisher", "contoso", "--json"],
    ];
    expect(await faults(...added)).toBe(0);
    const flaky = JSON.parse(printed.join("\n")) as FaultView;
    expect(flaky).toMatchObject({ target: "api", probability: 0.3, seed: 42, publisherId: "contoso" });

    printed = [];
    expect(await faults("list")).toBe(0);
    expect(printed).toHaveLength(2);
    expect(printed[1]).toContain(`${flaky.id}  api | status 503 | publisher contoso | p=0.3 seed=42`);

    printed = [];
    expect(await faults("clear", flaky.id)).toBe(0);
    expect(printed).toEqual([`cleared  ${flaky.id}`]);
    printed = [];
    expect(await faults("list", "--all", "--json")).toBe(0);
    expect((JSON.parse(printed.join("\n")) as { faults: FaultView[] }).faults).toHaveLength(2);

    printed = [];
    expect(await faults("clear", "--all")).toBe(0);
    expect(printed).toEqual(["cleared  1 fault"]);
    expect(await listFaults(server)).toEqual([]);
    printed = [];
    expect(await faults("list")).toBe(0);
    expect(printed).toEqual(["No active faults."]);
  });

  it("clears a publisher's faults", async () => {
    await faults("add", "--target", "webhook", "--kind", "duplicate", "--publisher", "fabrikam");
    await faults("add", "--target", "webhook", "--kind", "timeout");
    printed = [];
    expect(await faults("clear", "--publisher", "fabrikam", "--json")).toBe(0);
    expect(JSON.parse(printed.join("\n"))).toEqual({ cleared: 1 });
    expect((await listFaults(server)).map((fault) => fault.publisherId)).toEqual([null]);
    await faults("clear", "--all");
  });

  it("explains refusals and exits with 2", async () => {
    expect(await faults("add", "--target", "api", "--kind", "timeout")).toBe(2);
    expect(errors.join("\n")).toContain("An /api fault cannot be 'timeout'");
    expect(await faults("add", "--target", "webhook", "--kind", "status", "--status", "soon")).toBe(2);
    expect(errors.join("\n")).toContain('--status must be a number, got "soon"');
    expect(await faults("clear")).toBe(2);
    expect(errors.join("\n")).toContain("Say what to clear");
    expect(await faults("clear", "no-such-fault")).toBe(2);
    expect(errors.join("\n")).toContain("There is no fault 'no-such-fault'");
  });
});
