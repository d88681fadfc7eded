import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Anti-forgery tokens for the demo app's forms and signed view links. A token is
 * `<issuedAtMs>.<nonce>.<mac>` with the mac an HMAC over what it is bound to (a purpose, the
 * publisher, a subscription); the key lives only in this process, so a restart invalidates old pages.
 */
export interface FormTokens {
  issue(binding: string, now: Date): string;
  check(token: unknown, binding: string, now: Date): boolean;
}

export function createFormTokens(lifetimeMs: number, key: Buffer = randomBytes(32)): FormTokens {
  const mac = (binding: string, issuedAt: string, nonce: string) =>
    createHmac("sha256", key).update(`${binding}\n${issuedAt}\n${nonce}`).digest("base64url");
  return {
    issue(binding, now) {
      const issuedAt = String(now.getTime());
      const nonce = randomBytes(12).toString("base64url");
      return `${issuedAt}.${nonce}.${mac(binding, issuedAt, nonce)}`;
    },
    check(token, binding, now) {
      if (typeof token !== "string" || token.length > 200) return false;
      const [issuedAt, nonce, given, extra] = token.split(".");
      if (!issuedAt || !nonce || !given || extra !== undefined || !/^\d{1,16}$/.test(issuedAt)) return false;
      const age = now.getTime() - Number(issuedAt);
      if (age < 0 || age > lifetimeMs) return false;
      const expected = Buffer.from(mac(binding, issuedAt, nonce));
      const actual = Buffer.from(given);
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
  };
}

/** What a form token is bound to. */
export const bindings = {
  activate: (publisherId: string, subscriptionId: string) => `activate|${publisherId}|${subscriptionId}`,
  view: (publisherId: string, subscriptionId: string) => `view|${publisherId}|${subscriptionId}`,
  settings: (publisherId: string) => `settings|${publisherId}`,
};
