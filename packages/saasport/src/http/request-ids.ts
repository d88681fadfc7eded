import { randomUUID } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

declare module "fastify" {
  interface FastifyRequest {
    marketplaceIds?: { requestId: string; correlationId: string };
  }
}

const maxIdLength = 200;
const printable = /^[\x21-\x7e]+$/;

function usable(value: string | string[] | undefined): string | undefined {
  const single = Array.isArray(value) ? value[0] : value;
  if (!single || single.length > maxIdLength || !printable.test(single)) return undefined;
  return single;
}

/**
 * Echoes `x-ms-requestid` and `x-ms-correlationid`, generating what is missing. When the client sent
 * neither, both carry the same fresh GUID (as seen live). Fulfillment answers also get `x-ms-activityid`.
 */
export function marketplaceRequestIds(withActivityId: boolean) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const sentRequestId = usable(request.headers["x-ms-requestid"]);
    const sentCorrelationId = usable(request.headers["x-ms-correlationid"]);
    const fresh = sentRequestId && sentCorrelationId ? "" : randomUUID();
    const requestId = sentRequestId ?? fresh;
    const correlationId = sentCorrelationId ?? (sentRequestId ? randomUUID() : fresh);
    request.marketplaceIds = { requestId, correlationId };
    reply.header("x-ms-requestid", requestId);
    reply.header("x-ms-correlationid", correlationId);
    if (withActivityId) reply.header("x-ms-activityid", randomUUID());
  };
}
