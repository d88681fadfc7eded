import type { FastifyReply } from "fastify";
import type { RawAnswer } from "./api-client.js";

/** Passes a CSV answer of the API (or `body` assembled from several) through as a download. */
export function sendCsvDownload(
  reply: FastifyReply,
  answer: RawAnswer,
  fallbackName: string,
  body: string = answer.body,
): FastifyReply {
  return reply
    .code(200)
    .header("content-type", answer.headers["content-type"] ?? "text/csv; charset=utf-8")
    .header(
      "content-disposition",
      answer.headers["content-disposition"] ?? `attachment; filename="${fallbackName}"`,
    )
    .header("cache-control", "no-store")
    .header("x-content-type-options", "nosniff")
    .send(body);
}
