import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { buildProgram, main } from "../../src/cli/main.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { decodeToken, insertPublisher, marketplaceResource, type TestPublisher } from "./identity-support.js";

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe("saasport token and saasport keys", () => {
  let server: TestServer;
  let publisher: TestPublisher;
  let printed: string[];
  let errors: string[];

  beforeAll(async () => {
    server = await startTestServer({ database: "sqlite" });
    publisher = await insertPublisher(server.handle.database.db);
  });
  afterAll(async () => server?.stop());

  beforeEach(() => {
    printed = [];
    errors = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void printed.push(String(line)));
    vi.spyOn(console, "error").mockImplementation((line: unknown) => void errors.push(String(line)));
  });
  afterEach(() => vi.restoreAllMocks());

  const credentials = () => [
    "--tenant",
    publisher.tenantId,
    "--client-id",
    publisher.appId,
    "--client-secret",
    publisher.secret,
  ];

  it("prints a bare v2 bearer token, ready for curl", async () => {
    expect(await main(["token", ...credentials(), "--url", server.url])).toBe(0);
    expect(printed).toHaveLength(1);
    expect(decodeToken(String(printed[0])).claims).toMatchObject({
      aud: marketplaceResource,
      appid: publisher.appId,
    });
  });

  it("prints the whole v1 response with --v1 --json", async () => {
    expect(await main(["token", ...credentials(), "--url", server.url, "--v1", "--json"])).toBe(0);
    expect(JSON.parse(printed.join("\n"))).toMatchObject({
      token_type: "Bearer",
      expires_in: "3599",
      resource: marketplaceResource,
    });
  });

  it("reads SAASPORT_URL and says what Entra said when the secret is wrong", async () => {
    vi.stubEnv("SAASPORT_URL", server.url);
    try {
      const args = [
        "token",
        "--tenant",
        publisher.tenantId,
        "--client-id",
        publisher.appId,
        "--client-secret",
        "wrong",
      ];
      expect(await main(args)).toBe(2);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(errors.join("\n")).toContain("AADSTS7000215: Invalid client secret provided.");
  });

  it("says which credential is missing", async () => {
    expect(await main(["token", "--tenant", publisher.tenantId, "--url", server.url])).toBe(2);
    expect(errors.join("\n")).toContain("--client-id is required (or set SAASPORT_CLIENT_ID)");
  });

  it("says how to start Saasport when nothing answers", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    expect(await main(["token", ...credentials(), "--url", url])).toBe(2);
    expect(errors.join("\n")).toContain(
      `Saasport is not reachable at ${url}; start it with \`npx saasport\``,
    );
  });

  it("suggests trusting the certificate when an https URL is unreachable", async () => {
    const url = `https://127.0.0.1:${await closedPort()}`;
    expect(await main(["keys", "rotate", "--url", url, "--operator-key", "x"])).toBe(2);
    expect(errors.join("\n")).toContain("NODE_EXTRA_CA_CERTS=<data>/tls/cert.pem");
  });

  it("rotates the signing key with the operator key from --operator-key or the data directory", async () => {
    expect(
      await main(["keys", "rotate", "--url", server.url, "--operator-key", server.operatorKey, "--json"]),
    ).toBe(0);
    const rotated = JSON.parse(printed.join("\n")) as { kid: string };
    expect(rotated.kid).toEqual(expect.any(String));
    printed = [];
    expect(await main(["keys", "rotate", "--url", server.url, "--data", server.database.dataDir])).toBe(0);
    expect(printed[0]).toMatch(/^new key\s+\S+$/);
    expect(printed[1]).toContain(`retired  ${rotated.kid} (published until `);
    printed = [];
    expect(await main(["keys", "list", "--url", server.url, "--data", server.database.dataDir])).toBe(0);
    expect(printed.filter((line) => line.includes("active since"))).toHaveLength(1);
  });

  it("refuses a wrong operator key with the server's explanation", async () => {
    expect(await main(["keys", "rotate", "--url", server.url, "--operator-key", "wrong"])).toBe(2);
    expect(errors.join("\n")).toContain("answered 401");
  });

  it("documents its options in --help", () => {
    const program = buildProgram();
    const token = program.commands.find((command) => command.name() === "token");
    const help = token?.helpInformation() ?? "";
    for (const option of ["--tenant", "--client-id", "--client-secret", "--v1", "--url", "--json"])
      expect(help).toContain(option);
    const rotate = program.commands
      .find((command) => command.name() === "keys")
      ?.commands.find((c) => c.name() === "rotate");
    expect(rotate?.helpInformation()).toContain("--operator-key");
  });
});
