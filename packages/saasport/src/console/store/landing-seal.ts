import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

/**
 * The purchase API hands out the landing page URL (with its purchase token) once, and Saasport keeps
 * only the token's hash. To show "Configure account" after the purchase's redirect without storing the
 * token, the console seals the URL into the redirect: AES-256-GCM under a key derived from the
 * session's secret, bound to the subscription id. Only the same session can open it; after sign-out
 * it opens nowhere.
 */
function keyOf(sessionSecret: string): Buffer {
  return createHmac("sha256", sessionSecret).update("saasport console: landing page url").digest();
}

export function sealLandingUrl(url: string, sessionSecret: string, subscriptionId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(sessionSecret), iv);
  cipher.setAAD(Buffer.from(subscriptionId));
  const sealed = Buffer.concat([cipher.update(url, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url");
}

/** The URL, or undefined when the value was not sealed by this session for this subscription. */
export function openLandingUrl(
  sealed: unknown,
  sessionSecret: string,
  subscriptionId: string,
): string | undefined {
  if (typeof sealed !== "string" || sealed.length > 4000) return undefined;
  const bytes = Buffer.from(sealed, "base64url");
  if (bytes.length < 29) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyOf(sessionSecret), bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(subscriptionId));
    decipher.setAuthTag(bytes.subarray(12, 28));
    const url = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
    return /^https?:\/\//i.test(url) ? url : undefined;
  } catch {
    return undefined;
  }
}
