import type { FastifyRequest } from "fastify";

export interface PresentedCredentials {
  clientId: string | undefined;
  secret: string | undefined;
  assertionType: string | undefined;
  assertion: string | undefined;
}

/** Token requests are form posts; any other body reads as empty, so Entra's "missing parameter" answers follow. */
export function tokenFormOf(request: FastifyRequest): Record<string, string> {
  const contentType = String(request.headers["content-type"] ?? "").toLowerCase();
  if (!contentType.startsWith("application/x-www-form-urlencoded")) return {};
  const body = request.body;
  return body && typeof body === "object" ? (body as Record<string, string>) : {};
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** client_secret_post fields, or client_secret_basic (RFC 6749 §2.3.1: form-encoded id and secret in Basic). */
export function presentedCredentials(
  form: Record<string, string>,
  authorization: string | undefined,
): PresentedCredentials {
  const basic = basicCredentials(authorization);
  return {
    clientId: nonEmpty(form.client_id) ?? basic?.clientId,
    secret: nonEmpty(form.client_secret) ?? basic?.secret,
    assertionType: nonEmpty(form.client_assertion_type),
    assertion: nonEmpty(form.client_assertion),
  };
}

function basicCredentials(
  authorization: string | undefined,
): { clientId: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? "");
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  try {
    const clientId = decodeURIComponent(decoded.slice(0, colon).replaceAll("+", " "));
    const secret = decodeURIComponent(decoded.slice(colon + 1).replaceAll("+", " "));
    return clientId && secret ? { clientId, secret } : undefined;
  } catch {
    return undefined;
  }
}

/** Entra echoes the client's `client-request-id` (header, or MSAL's body field) as the correlation id. */
export function correlationIdOf(request: FastifyRequest, form: Record<string, string>): string | undefined {
  const header = request.headers["client-request-id"];
  const value = (Array.isArray(header) ? header[0] : header) ?? form["client-request-id"];
  return value && /^[\x21-\x7e]{1,100}$/.test(value) ? value : undefined;
}
