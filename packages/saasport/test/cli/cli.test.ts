import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, seedFixtureCatalog } from "../support/fixture-catalog.js";
import { publisherToken } from "../support/marketplace-client.js";
import { startTestServer, type TestServer } from "../support/server.js";

const bin = resolve(dirname(fileURLToPath(import.meta.url)), "../../bin/saasport.js");

/** Runs the compiled CLI (built by `npm test`) and collects what it printed. */
function saasport(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

describe("saasport CLI", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database: "sqlite", seed: seedFixtureCatalog });
  });
  afterAll(async () => server?.stop());

  const buySeats = (seats: string, ...extra: string[]) => [
    "purchase",
    ...["--url", server.url, "--operator-key", server.operatorKey],
    ...["--offer", "seats", "--plan", "team", "--seats", seats],
    ...extra,
  ];

  it("prints help for every command", async () => {
    const help = await saasport(["--help"]);
    expect(help.code).toBe(0);
    for (const command of [
      "serve",
      "purchase",
      "token",
      "keys",
      "subscription",
      "clock",
      "events",
      "faults",
    ]) {
      expect(help.stdout).toContain(command);
    }
    const purchaseHelp = await saasport(["purchase", "--help"]);
    expect(purchaseHelp.stdout).toContain("--offer <offerId>");
  });

  it("buys a plan and prints JSON with --json", async () => {
    const result = await saasport(buySeats("3", "--tenant", fixture.buyerTenant, "--json"));
    expect(result.code, result.stderr).toBe(0);
    const body = JSON.parse(result.stdout) as {
      subscriptionId: string;
      token: string;
      landingPageUrl: string;
    };
    expect(new URL(body.landingPageUrl).searchParams.get("token")).toBe(body.token);
  });

  it("explains what went wrong and exits with 2", async () => {
    const tooMany = await saasport(buySeats("99"));
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toContain("sold for 1 to 10 seats");
    const unreachable = await saasport([
      "purchase",
      "--url",
      "http://127.0.0.1:1",
      "--operator-key",
      "k",
      "--offer",
      "o",
      "--plan",
      "p",
    ]);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain("Saasport is not reachable at http://127.0.0.1:1");
    const badSetting = await saasport(["serve", "--port", "1"], { SAASPORT_PAGE_SIZE: "many" });
    expect(badSetting.code).toBe(2);
    expect(badSetting.stderr).toContain("SAASPORT_PAGE_SIZE must be an integer");
  });

  it("drives a subscription's lifecycle and reads the event log", async () => {
    const bought = await saasport(buySeats("3", "--json"));
    const { subscriptionId } = JSON.parse(bought.stdout) as { subscriptionId: string };
    const client = ["--url", server.url, "--operator-key", server.operatorKey];
    const activate = await fetch(
      `${server.url}/api/saas/subscriptions/${subscriptionId}/activate?api-version=2018-08-31`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${await publisherToken(server, "contoso")}` },
      },
    );
    expect(activate.status).toBe(200);

    const failed = await saasport(["subscription", "payment-failed", subscriptionId, ...client]);
    expect(failed.code, failed.stderr).toBe(0);
    expect(failed.stdout).toMatch(/event\s+Suspended #3/);
    const shown = await saasport(["subscription", "show", subscriptionId, ...client, "--json"]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ saasSubscriptionStatus: "Suspended", quantity: 3 });
    const renewOff = await saasport(["subscription", "auto-renew", subscriptionId, "maybe", ...client]);
    expect(renewOff.code).toBe(2);
    expect(renewOff.stderr).toContain('auto-renew takes "on" or "off"');

    const listed = await saasport(["events", "list", "--subscription", subscriptionId, ...client]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(
      listed.stdout
        .trim()
        .split("\n")
        .map((line) => line.split(/\s+/)[2]),
    ).toEqual(["Purchased", "Activated", "Suspended"]);
    const missing = await saasport([
      "subscription",
      "renew",
      "00000000-0000-4000-8000-000000000000",
      ...client,
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("was not found");
  });

  it("follows the event log live with events tail", async () => {
    const child = spawn(process.execPath, [
      bin,
      "events",
      "tail",
      "--url",
      server.url,
      "--operator-key",
      server.operatorKey,
    ]);
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    try {
      await new Promise((started) => child.stderr.once("data", started));
      const bought = await saasport(buySeats("2", "--json"));
      const { subscriptionId } = JSON.parse(bought.stdout) as { subscriptionId: string };
      const deadline = Date.now() + 10_000;
      while (!stdout.includes(subscriptionId) && Date.now() < deadline) {
        await new Promise((wait) => setTimeout(wait, 50));
      }
      expect(stdout).toMatch(new RegExp(`Purchased\\s+contoso/${subscriptionId}#1`));
    } finally {
      child.kill();
    }
  });

  it("serve prints where everything is on a new data directory with the demo catalog", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "saasport-banner-"));
    const child = spawn(process.execPath, [bin, "serve", "--port", "0", "--data", dataDir], {
      env: { ...process.env, SAASPORT_LOG_LEVEL: "error" },
    });
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    try {
      const deadline = Date.now() + 20_000;
      while (!stdout.includes("Try: ") && Date.now() < deadline) {
        await new Promise((wait) => setTimeout(wait, 50));
      }
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      expect(url, stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      for (const line of [
        `fulfillment API   ${url}/api/saas/subscriptions?api-version=2018-08-31`,
        `token endpoints   ${url}/{tenantId}/oauth2/token`,
        `web console       ${url}/`,
        `API reference     ${url}/docs`,
        `health            ${url}/healthz`,
        "operator key      ",
        "Demo catalog. Publisher credentials",
      ]) {
        expect(stdout).toContain(line);
      }
      expect((await fetch(`${url}/`)).status).toBeLessThan(400);
    } finally {
      if (child.exitCode === null) {
        const closed = new Promise((exited) => child.once("close", exited));
        child.kill();
        await closed;
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
