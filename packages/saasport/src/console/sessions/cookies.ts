/** The cookie that holds the console session id (opaque, random; the database keeps only its hash). */
export const sessionCookieName = "saasport_console";
/** The anti-forgery value of the sign-in forms, which are posted before there is a session. */
export const signInCookieName = "saasport_console_signin";

/** The cookies of a request; the first value of a repeated name wins. */
export function parseCookies(header: string | string[] | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  const text = Array.isArray(header) ? header.join("; ") : (header ?? "");
  for (const part of text.split(";")) {
    const index = part.indexOf("=");
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    if (name && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export interface CookieOptions {
  /** Seconds until the browser drops it; 0 deletes it now. */
  maxAgeSeconds: number;
  /** Set when the request came over HTTPS (see `reachedOverHttps`): the browser sends the cookie only over HTTPS. */
  secure: boolean;
  path?: string;
  sameSite?: "Lax" | "Strict";
}

/**
 * Whether the browser reached the console over HTTPS: Saasport serves TLS itself, or a trusted
 * reverse proxy said so in X-Forwarded-Proto (Fastify reads that header only from trusted proxies).
 */
export function reachedOverHttps(request: { protocol: string }, settings: { tls: boolean }): boolean {
  return settings.tls || request.protocol === "https";
}

/** A Set-Cookie value: HttpOnly always (no script ever reads it). Values are base64url, never escaped. */
export function cookieHeader(name: string, value: string, options: CookieOptions): string {
  return [
    `${name}=${value}`,
    `Path=${options.path ?? "/"}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    "HttpOnly",
    `SameSite=${options.sameSite ?? "Lax"}`,
    ...(options.secure ? ["Secure"] : []),
  ].join("; ");
}
