import type { FastifyReply } from "fastify";
import type { SafeHtml } from "../http/html.js";

/**
 * Console pages load only the console's own stylesheet and script; forms post only to the console; no
 * page may be framed; no referrer leaves (the Configure account link carries a purchase token).
 */
export const pageSecurityHeaders = {
  "content-security-policy":
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
} as const;

export function sendPage(reply: FastifyReply, status: number, page: SafeHtml): FastifyReply {
  return reply.code(status).headers(pageSecurityHeaders).type("text/html; charset=utf-8").send(page.value);
}

/** After a successful form post: back to a page with GET (post/redirect/get). */
export function seeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.code(303).header("cache-control", "no-store").header("location", location).send();
}
