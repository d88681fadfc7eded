import { createHash, createPublicKey, X509Certificate } from "node:crypto";

/** A signing key's public half as published in the JWKS, shaped like Entra's entries. */
export interface PublishedJwk {
  kty: "RSA";
  use: "sig";
  alg: "RS256";
  kid: string;
  x5t: string;
  n: string;
  e: string;
  x5c: string[];
}

export interface GeneratedSigningKey {
  kid: string;
  privateKeyPem: string;
  publicJwk: PublishedJwk;
}

const certificateYears = 5;

/**
 * A fresh RS256 key pair with a self-signed certificate around its public key. The certificate only
 * exists so the JWKS entry can carry `x5c`/`x5t` like Entra's (some validators read the key from
 * `x5c`); like Entra, the key id is the certificate's SHA-1 thumbprint.
 */
export async function generateSigningKey(now: Date): Promise<GeneratedSigningKey> {
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + certificateYears);
  // Imported here: the generator is large and only needed when a key is created, not on every start.
  // A CommonJS module: its exports are the default export, in the bundle as in Node.
  const { generate } = (await import("selfsigned")).default;
  const pems = await generate([{ name: "commonName", value: "Saasport token signing" }], {
    keyType: "rsa",
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: now,
    notAfterDate: notAfter,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, critical: true },
    ],
  });
  const certificate = new X509Certificate(pems.cert);
  const x5t = createHash("sha1").update(certificate.raw).digest("base64url");
  const { n, e } = createPublicKey(pems.cert).export({ format: "jwk" });
  if (typeof n !== "string" || typeof e !== "string")
    throw new Error("generated signing key is not an RSA key");
  return {
    kid: x5t,
    privateKeyPem: pems.private,
    publicJwk: {
      kty: "RSA",
      use: "sig",
      alg: "RS256",
      kid: x5t,
      x5t,
      n,
      e,
      x5c: [certificate.raw.toString("base64")],
    },
  };
}
