import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ensureTlsCertificate } from "../../src/identity/tls.js";

describe("the TLS certificate for --tls", () => {
  const directories: string[] = [];
  const dataDir = () => {
    const directory = mkdtempSync(join(tmpdir(), "saasport-tls-"));
    directories.push(directory);
    return directory;
  };
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  it("generates a self-signed localhost certificate into <data>/tls, with the key readable by the owner only", async () => {
    const dir = dataDir();
    const tls = await ensureTlsCertificate(dir);
    expect(tls.certPath).toBe(join(dir, "tls", "cert.pem"));
    expect(statSync(join(dir, "tls", "key.pem")).mode & 0o777).toBe(0o600);
    const certificate = new X509Certificate(tls.cert);
    expect(certificate.subject).toContain("CN=localhost");
    expect(certificate.subjectAltName).toContain("DNS:localhost");
    expect(certificate.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(certificate.subjectAltName).toMatch(/IP Address:(0:0:0:0:0:0:0:1|::1)/);
    expect(certificate.checkPrivateKey(createPrivateKey(tls.key))).toBe(true);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
  });

  it("reuses the certificate on later starts", async () => {
    const dir = dataDir();
    const first = await ensureTlsCertificate(dir);
    const second = await ensureTlsCertificate(dir);
    expect(second).toEqual(first);
  });

  it("never pairs one process's key with another's certificate when they start together", async () => {
    const dir = dataDir();
    const results = await Promise.all([
      ensureTlsCertificate(dir),
      ensureTlsCertificate(dir),
      ensureTlsCertificate(dir),
    ]);
    for (const result of results) {
      expect(result).toEqual(results[0]);
      expect(new X509Certificate(result.cert).checkPrivateKey(createPrivateKey(result.key))).toBe(true);
    }
    expect(readdirSync(dir).filter((name) => name.startsWith("tls.staging-"))).toEqual([]);
  });

  it("replaces a certificate that is about to expire and keeps the old one aside", async () => {
    const dir = dataDir();
    const old = await ensureTlsCertificate(dir);
    const muchLater = new Date(Date.now() + 900 * 24 * 3600 * 1000);
    const renewed = await ensureTlsCertificate(dir, muchLater);
    expect(renewed.cert).not.toBe(old.cert);
    expect(readdirSync(dir).some((name) => name.startsWith("tls.expired-"))).toBe(true);
  });
});
