import type { FastifyReply } from "fastify";
import type { SafeHtml } from "../http/html.js";
import { MarketplaceCallError } from "./marketplace-client.js";

/** Pages carry no scripts and load nothing from elsewhere; the landing URL's token must not leak. */
export function sendPage(reply: FastifyReply, status: number, page: SafeHtml): FastifyReply {
  return reply
    .code(status)
    .header(
      "content-security-policy",
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    )
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .header("cache-control", "no-store")
    .type("text/html; charset=utf-8")
    .send(page.value);
}

/**
 * The status a page answers with when a marketplace call failed: the caller's own mistakes (a bad or
 * expired token, an unknown subscription) keep their 4xx; everything else is the marketplace's
 * problem seen from this app (502), never a 500.
 */
export function pageStatusFor(error: MarketplaceCallError): number {
  if (error.status === 400 || error.status === 404 || error.status === 409) return error.status;
  return 502;
}

export function describeFailure(error: unknown): string {
  if (error instanceof MarketplaceCallError) return error.message;
  return "An unexpected problem occurred in the demo app.";
}

export const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
