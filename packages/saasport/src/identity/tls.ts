import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generate } from "selfsigned";

export interface TlsCertificate {
  key: string;
  cert: string;
  /** Give this file to clients: NODE_EXTRA_CA_CERTS=<certPath>, curl --cacert <certPath>. */
  certPath: string;
}

const validityDays = 825;
/** A certificate this close to expiry is replaced on start. */
const renewBeforeMs = 7 * 24 * 3600 * 1000;

/**
 * The HTTPS certificate in <dataDir>/tls (key.pem mode 0600, cert.pem): generated on first start as a
 * self-signed certificate for localhost, 127.0.0.1 and ::1, reused afterwards.
 */
export async function ensureTlsCertificate(dataDir: string, now: Date = new Date()): Promise<TlsCertificate> {
  const directory = join(dataDir, "tls");
  const existing = readCertificate(directory);
  if (existing && !expiresSoon(existing.cert, now)) return existing;
  if (existing) setAside(directory, join(dataDir, `tls.expired-${now.getTime()}`));
  await createCertificateDirectory(dataDir, directory, now);
  const created = readCertificate(directory);
  if (!created)
    throw new Error(
      `Could not read the TLS certificate in ${directory}; delete that directory and start again.`,
    );
  return created;
}

function setAside(directory: string, target: string): void {
  try {
    renameSync(directory, target);
  } catch (error) {
    // another process starting at the same time moved it already
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

function readCertificate(directory: string): TlsCertificate | undefined {
  const keyPath = join(directory, "key.pem");
  const certPath = join(directory, "cert.pem");
  if (!existsSync(keyPath) && !existsSync(certPath)) return undefined;
  try {
    return { key: readFileSync(keyPath, "utf8"), cert: readFileSync(certPath, "utf8"), certPath };
  } catch (error) {
    throw new Error(
      `The TLS files in ${directory} are incomplete (${(error as Error).message}); delete that directory to have them generated again.`,
    );
  }
}

function expiresSoon(certPem: string, now: Date): boolean {
  return new Date(new X509Certificate(certPem).validTo).getTime() - now.getTime() < renewBeforeMs;
}

/**
 * Writes key and certificate into a fresh directory and renames it into place in one step, so processes
 * starting together never pair one's key with another's certificate: the first rename wins and the
 * others read the winner's files.
 */
async function createCertificateDirectory(dataDir: string, directory: string, now: Date): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const pems = await generateLocalhostCertificate(now);
  const staging = mkdtempSync(join(dataDir, "tls.staging-"));
  try {
    writeFileSync(join(staging, "key.pem"), pems.private, { mode: 0o600 });
    writeFileSync(join(staging, "cert.pem"), pems.cert, { mode: 0o644 });
    renameSync(staging, directory);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function generateLocalhostCertificate(now: Date) {
  return generate([{ name: "commonName", value: "localhost" }], {
    keyType: "rsa",
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + validityDays * 24 * 3600 * 1000),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
}
