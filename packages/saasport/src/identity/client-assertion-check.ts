import { createPublicKey } from "node:crypto";
import {
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from "jose";
import type { AssertionKey } from "./certificates.js";
import { tokenErrors } from "./token-errors.js";

export const jwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** Assertions signed with the certificate's RSA key; MSAL uses RS256 with `x5t`, or PS256 with `x5t#S256`. */
const assertionAlgorithms = ["RS256", "PS256"];

/** Tolerated difference between the client's clock and ours. */
export const assertionClockSkewSeconds = 60;

export interface ClientAssertionInput {
  assertion: string;
  clientId: string;
  /** The token endpoint URLs this assertion may be addressed to (lower case). */
  audiences: readonly string[];
  keys: readonly AssertionKey[];
  /** Real time: the client built its assertion from its own wall clock. */
  now: Date;
}

/** Verifies a private_key_jwt client assertion (RFC 7523) the way Entra does; throws Entra's errors. */
export async function checkClientAssertion(input: ClientAssertionInput): Promise<void> {
  const { header, claims } = decodeAssertion(input.assertion);
  const alg = header.alg ?? "";
  if (!assertionAlgorithms.includes(alg)) {
    throw tokenErrors.malformedAssertion(
      `The signing algorithm '${alg}' is not supported; use RS256 or PS256.`,
    );
  }
  await verifySignature(input, header, alg);
  if (!sameId(claims.iss, input.clientId) || !sameId(claims.sub, input.clientId)) {
    throw tokenErrors.assertionClientMismatch();
  }
  const audiences = typeof claims.aud === "string" ? [claims.aud] : (claims.aud ?? []);
  if (!audiences.some((audience) => input.audiences.includes(audience.toLowerCase()))) {
    throw tokenErrors.malformedAssertion(
      `The client assertion's audience '${audiences.join(", ")}' is not this token endpoint; expected '${input.audiences[0] ?? ""}'.`,
    );
  }
  checkTimeRange(claims, input.now);
}

function decodeAssertion(assertion: string): { header: ProtectedHeaderParameters; claims: JWTPayload } {
  try {
    return { header: decodeProtectedHeader(assertion), claims: decodeJwt(assertion) };
  } catch {
    throw tokenErrors.malformedAssertion("The client assertion is not a well-formed signed JWT.");
  }
}

async function verifySignature(input: ClientAssertionInput, header: ProtectedHeaderParameters, alg: string) {
  const sha256Thumbprint = typeof header["x5t#S256"] === "string" ? header["x5t#S256"] : undefined;
  const sha1Thumbprint = typeof header.x5t === "string" ? header.x5t : undefined;
  const thumbprint = sha256Thumbprint ?? sha1Thumbprint;
  const byThumbprint = input.keys.filter(
    (key) =>
      (sha256Thumbprint !== undefined && key.x5tS256 === sha256Thumbprint) ||
      (sha1Thumbprint !== undefined && key.x5t === sha1Thumbprint),
  );
  // Bare public keys have no thumbprint to match, so they are tried whenever no certificate matched.
  const candidates =
    byThumbprint.length > 0
      ? byThumbprint
      : input.keys.filter((key) => thumbprint === undefined || key.x5t === null);
  const shownThumbprint = thumbprint && Buffer.from(thumbprint, "base64url").toString("hex").toUpperCase();
  if (candidates.length === 0)
    throw tokenErrors.assertionSignature("The key was not found.", shownThumbprint, input.clientId);
  for (const candidate of candidates) {
    try {
      await compactVerify(input.assertion, createPublicKey(candidate.pem), { algorithms: [alg] });
      return;
    } catch {
      // try the next registered key
    }
  }
  throw tokenErrors.assertionSignature(
    "Key was found, but use of the key to verify the signature failed.",
    shownThumbprint,
    input.clientId,
  );
}

function checkTimeRange(claims: JWTPayload, now: Date): void {
  if (typeof claims.exp !== "number")
    throw tokenErrors.malformedAssertion("The client assertion has no 'exp' claim.");
  const nowSeconds = now.getTime() / 1000;
  const notBefore = typeof claims.nbf === "number" ? claims.nbf : undefined;
  const expired = claims.exp + assertionClockSkewSeconds < nowSeconds;
  const early = notBefore !== undefined && notBefore - assertionClockSkewSeconds > nowSeconds;
  if (expired || early) {
    throw tokenErrors.assertionTimeRange(
      now,
      notBefore === undefined ? undefined : new Date(notBefore * 1000),
      new Date(claims.exp * 1000),
    );
  }
}

function sameId(claim: unknown, clientId: string): boolean {
  return typeof claim === "string" && claim.toLowerCase() === clientId.toLowerCase();
}
