import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { defaultSettings } from "../../src/config/settings.js";
import { loadSettings, parseTrustProxy, SettingsError, settingSources } from "../../src/config/sources.js";

const readme = readFileSync(
  resolve(dirname(fileURLToPath(import.meta.url)), "../../../../README.md"),
  "utf8",
);

describe("configuration", () => {
  it.each(settingSources.map((source) => source.env))(
    "the README's configuration reference documents %s",
    (env) => {
      expect(readme).toContain(`\`${env}\``);
    },
  );

  it("defaults to the decisions of spec §11", () => {
    const settings = loadSettings({});
    expect(settings.host).toBe("127.0.0.1");
    expect(settings.pageSize).toBe(100);
    expect(settings.landingTokenTtlSeconds).toBe(86_400);
    expect(settings.fidelity).toEqual(defaultSettings.fidelity);
    expect(settings.fidelity).toMatchObject({
      authFailureStatus: 401,
      operationListShape: "object",
      operationNotFoundStatus: 404,
      activateBodyValidation: "ignore",
      lockedSubscriptionStatus: 400,
      activationDelayMs: 0,
      activateStatus: 200,
      operationStatusValues: "validate",
    });
  });

  it("reads the environment and lets explicit overrides win", () => {
    const settings = loadSettings(
      {
        SAASPORT_PORT: "8080",
        SAASPORT_AUTH_FAILURE_STATUS: "403",
        SAASPORT_ACTIVATE_STATUS: "202",
        SAASPORT_OPERATION_STATUS_VALUES: "acceptAny",
        SAASPORT_TLS: "yes",
        DATABASE_URL: "postgres://x",
      },
      { port: 9090 },
    );
    expect(settings.port).toBe(9090);
    expect(settings.tls).toBe(true);
    expect(settings.databaseUrl).toBe("postgres://x");
    expect(settings.fidelity.authFailureStatus).toBe(403);
    expect(settings.fidelity.activateStatus).toBe(202);
    expect(settings.fidelity.operationStatusValues).toBe("acceptAny");
  });

  it.each([
    [{ SAASPORT_PORT: "eighty" }, "SAASPORT_PORT must be an integer between 0 and 65535"],
    [{ SAASPORT_PAGE_SIZE: "0" }, "SAASPORT_PAGE_SIZE must be an integer between 1 and 1000"],
    [{ SAASPORT_TLS: "maybe" }, "SAASPORT_TLS must be true or false"],
    [{ SAASPORT_OPERATION_LIST_SHAPE: "list" }, "SAASPORT_OPERATION_LIST_SHAPE must be one of object, array"],
    [{ SAASPORT_ACTIVATE_STATUS: "204" }, "SAASPORT_ACTIVATE_STATUS must be one of 200, 202"],
    [
      { SAASPORT_OPERATION_STATUS_VALUES: "any" },
      "SAASPORT_OPERATION_STATUS_VALUES must be one of validate, acceptAny",
    ],
    [{ SAASPORT_TRUST_PROXY: "proxy.example" }, "SAASPORT_TRUST_PROXY must be true, false, a hop count"],
    [{ SAASPORT_TRUST_PROXY: "10.0.0.0/33" }, '"10.0.0.0/33" is none of these'],
    [{ SAASPORT_TRUST_PROXY: "99" }, "SAASPORT_TRUST_PROXY must be an integer between 0 and 32"],
  ])("rejects %j with a message naming the variable", (env, message) => {
    expect(() => loadSettings(env)).toThrow(SettingsError);
    expect(() => loadSettings(env)).toThrow(message);
  });

  it("reads SAASPORT_TRUST_PROXY as off, everyone, a hop count or a list of proxies", () => {
    expect(loadSettings({}).trustProxy).toBe(false);
    for (const off of ["", "false", "FALSE", "0"]) expect(parseTrustProxy("X", off), off).toBe(false);
    expect(parseTrustProxy("X", "true")).toBe(true);
    expect(parseTrustProxy("X", " 2 ")).toBe(2);
    expect(parseTrustProxy("X", "10.0.0.1, 172.16.0.0/12,loopback, ::1, fd00::/8")).toEqual([
      "10.0.0.1",
      "172.16.0.0/12",
      "loopback",
      "::1",
      "fd00::/8",
    ]);
    expect(loadSettings({ SAASPORT_TRUST_PROXY: "uniquelocal" }).trustProxy).toEqual(["uniquelocal"]);
    expect(() => parseTrustProxy("X", "10.0.0.1,")).toThrow(SettingsError);
    expect(() => parseTrustProxy("X", "10.0.0.1/8/8")).toThrow(SettingsError);
    expect(() => parseTrustProxy("X", "yes")).toThrow(SettingsError);
  });
});
