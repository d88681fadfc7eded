import { createHash, createPublicKey, type KeyObject, X509Certificate } from "node:crypto";

/** A certificate or bare public key that verifies a publisher's client assertions. */
export interface PublicKeyCredential {
  /** The PEM certificate, or the SPKI public key in PEM. */
  publicKeyPem: string;
  /** base64url SHA-1 and SHA-256 thumbprints (JWT `x5t`, `x5t#S256`); only certificates have them. */
  x5t: string | null;
  x5tS256: string | null;
}

export type PublicKeyResult = { ok: true; credential: PublicKeyCredential } | { ok: false; problem: string };

const minimumRsaBits = 2048;

/** Reads one PEM certificate or SPKI public key. Client assertions are RS256 (Entra), so the key must be RSA. */
export function parsePublicKeyCredential(pem: string): PublicKeyResult {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    return {
      ok: false,
      problem: "is a private key; give only the certificate or the public key",
    };
  }
  const blocks = pem.match(/-----BEGIN [A-Z0-9 ]+-----/g) ?? [];
  if (blocks.length !== 1) {
    return {
      ok: false,
      problem:
        blocks.length === 0
          ? "must be a PEM certificate (BEGIN CERTIFICATE) or public key (BEGIN PUBLIC KEY)"
          : "must hold exactly one certificate or public key",
    };
  }
  try {
    if (blocks[0] === "-----BEGIN CERTIFICATE-----") return fromCertificate(new X509Certificate(pem));
    return fromPublicKey(createPublicKey(pem));
  } catch {
    return { ok: false, problem: "could not be read as a PEM certificate or public key" };
  }
}

function fromCertificate(certificate: X509Certificate): PublicKeyResult {
  const keyProblem = rsaProblem(certificate.publicKey);
  if (keyProblem) return { ok: false, problem: keyProblem };
  return {
    ok: true,
    credential: {
      publicKeyPem: certificate.toString(),
      x5t: createHash("sha1").update(certificate.raw).digest("base64url"),
      x5tS256: createHash("sha256").update(certificate.raw).digest("base64url"),
    },
  };
}

function fromPublicKey(key: KeyObject): PublicKeyResult {
  const keyProblem = rsaProblem(key);
  if (keyProblem) return { ok: false, problem: keyProblem };
  return {
    ok: true,
    credential: {
      publicKeyPem: String(key.export({ type: "spki", format: "pem" })),
      x5t: null,
      x5tS256: null,
    },
  };
}

function rsaProblem(key: KeyObject): string | undefined {
  if (key.asymmetricKeyType !== "rsa")
    return `must hold an RSA key (client assertions are signed RS256), not ${key.asymmetricKeyType ?? "this key type"}`;
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < minimumRsaBits) return `must hold an RSA key of at least ${minimumRsaBits} bits (is ${bits})`;
  return undefined;
}
