import { createHmac, randomBytes } from "node:crypto";

/** The optional HMAC header: `t=<unix seconds>,v1=<hex>` with one v1 per unretired secret. */
export const signatureHeader = "x-saasport-signature";

/**
 * Signs `<t>.<raw body>` with HMAC-SHA256 under each secret. During a rotation every unretired secret
 * signs, so a receiver holding either the old or the new secret verifies the call.
 */
export function signatureValue(body: string, secrets: readonly string[], unixSeconds: number): string {
  const signed = `${unixSeconds}.${body}`;
  const entries = secrets.map((secret) => `v1=${createHmac("sha256", secret).update(signed).digest("hex")}`);
  return [`t=${unixSeconds}`, ...entries].join(",");
}

/** A new webhook signing secret: 32 random bytes, prefixed so it is recognisable in configuration. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}
