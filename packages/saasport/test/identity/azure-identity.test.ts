import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock/clock.js";
import { createPublisherAuthenticator } from "../../src/identity/authenticator.js";
import { parseCredentialPem, registerCertificate } from "../../src/identity/certificates.js";
import { databaseKinds } from "../support/databases.js";
import { startTestServer, type TestServer } from "../support/server.js";
import {
  decodeToken,
  fakeRequest,
  insertPublisher,
  marketplaceResource,
  type TestPublisher,
} from "./identity-support.js";

const run = promisify(execFile);
const script = fileURLToPath(new URL("./fixtures/azure-identity-token.mjs", import.meta.url));

/** Runs the @azure/identity script in a child Node process; returns its token or its failure. */
async function azureIdentityToken(env: Record<string, string>): Promise<{ token?: string; error?: string }> {
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  try {
    const { stdout } = await run(process.execPath, [script], {
      env: { ...inherited, ...env },
      timeout: 60_000,
    });
    return { token: (JSON.parse(stdout) as { token: string }).token };
  } catch (error) {
    return { error: String((error as { stderr?: string }).stderr ?? error) };
  }
}

describe.each(databaseKinds)("@azure/identity against Saasport over HTTPS on %s", (kind) => {
  let server: TestServer;
  let publisher: TestPublisher;
  let certPath: string;

  beforeAll(async () => {
    server = await startTestServer({ database: kind, settings: { tls: true } });
    publisher = await insertPublisher(server.handle.database.db);
    certPath = join(server.handle.settings.dataDir, "tls", "cert.pem");
  });
  afterAll(async () => server?.stop());

  const verify = (token: string) =>
    createPublisherAuthenticator({
      db: server.handle.database.db,
      settings: server.handle.settings,
      clock: systemClock,
      baseUrl: () => server.url,
    }).authenticate(fakeRequest(`Bearer ${token}`));

  it("serves HTTPS", () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it("gets a token with ClientSecretCredential (authority host swapped, nothing else)", async () => {
    const result = await azureIdentityToken({
      NODE_EXTRA_CA_CERTS: certPath,
      AUTHORITY_HOST: server.url,
      TENANT_ID: publisher.tenantId,
      CLIENT_ID: publisher.appId,
      CLIENT_SECRET: publisher.secret,
      SCOPE: `${marketplaceResource}/.default`,
    });
    expect(result.error).toBeUndefined();
    const token = String(result.token);
    expect(decodeToken(token).claims).toMatchObject({
      aud: marketplaceResource,
      tid: publisher.tenantId,
      appid: publisher.appId,
    });
    expect(await verify(token)).toEqual({
      publisherId: publisher.id,
      tenantId: publisher.tenantId,
      appId: publisher.appId,
    });
  });

  it("gets a token with ClientCertificateCredential (client assertion)", async () => {
    const pems = await generate([{ name: "commonName", value: "isv app" }], {
      keySize: 2048,
      algorithm: "sha256",
    });
    await registerCertificate(server.handle.database.db, {
      publisherId: publisher.id,
      credential: parseCredentialPem(pems.cert),
      now: new Date(),
    });
    const certificatePath = join(server.handle.settings.dataDir, "isv-app.pem");
    writeFileSync(certificatePath, `${pems.private}\n${pems.cert}`, { mode: 0o600 });
    const result = await azureIdentityToken({
      NODE_EXTRA_CA_CERTS: certPath,
      AUTHORITY_HOST: server.url,
      TENANT_ID: publisher.tenantId,
      CLIENT_ID: publisher.appId,
      CERTIFICATE_PATH: certificatePath,
      SCOPE: `${marketplaceResource}/.default`,
    });
    expect(result.error).toBeUndefined();
    const token = String(result.token);
    expect(decodeToken(token).claims).toMatchObject({ appidacr: "2" });
    expect(await verify(token)).toMatchObject({ publisherId: publisher.id });
  });

  it("surfaces Entra's error for a wrong secret", async () => {
    const result = await azureIdentityToken({
      NODE_EXTRA_CA_CERTS: certPath,
      AUTHORITY_HOST: server.url,
      TENANT_ID: publisher.tenantId,
      CLIENT_ID: publisher.appId,
      CLIENT_SECRET: "wrong",
      SCOPE: `${marketplaceResource}/.default`,
    });
    expect(result.error).toContain("AADSTS7000215");
  });

  it("is refused by the client without the certificate trusted", async () => {
    const result = await azureIdentityToken({
      AUTHORITY_HOST: server.url,
      TENANT_ID: publisher.tenantId,
      CLIENT_ID: publisher.appId,
      CLIENT_SECRET: publisher.secret,
      SCOPE: `${marketplaceResource}/.default`,
    });
    expect(result.token).toBeUndefined();
    // MSAL reports the refused TLS handshake as the discovery document being out of reach.
    expect(result.error).toContain("endpoints_resolution_error");
  });
});
