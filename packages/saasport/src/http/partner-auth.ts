import type { FastifyInstance, FastifyRequest } from "fastify";
import type { PublisherAuthenticator } from "../identity/principal.js";
import { ApiError } from "./errors.js";
import { bearerOf, isOperatorKey } from "./operator-auth.js";

/** With the operator key, this header names the publisher a /partner call acts for. */
export const publisherIdHeader = "x-saasport-publisher-id";

/** Who a /partner call acts for. */
export interface PartnerPrincipal {
  publisherId: string;
  /** The publisher's own bearer token, or the operator key plus the publisher id header. */
  authenticatedBy: "publisherToken" | "operatorKey";
}

declare module "fastify" {
  interface FastifyRequest {
    partner?: PartnerPrincipal;
  }
}

export interface PartnerAuthDeps {
  publisherAuth: PublisherAuthenticator;
  operatorKeyHash: string;
  publisherExists(publisherId: string): Promise<boolean>;
}

/**
 * A publisher calls /partner with its own bearer token (tenant + app map to exactly one publisher);
 * the operator (the console, tests, the CLI) calls with the operator key and names the publisher in
 * `x-saasport-publisher-id`.
 */
export async function authenticatePartner(
  request: FastifyRequest,
  deps: PartnerAuthDeps,
): Promise<PartnerPrincipal> {
  const named = headerValue(request, publisherIdHeader);
  if (isOperatorKey(bearerOf(request), deps.operatorKeyHash)) {
    if (!named) {
      throw new ApiError(
        "HeaderNotPresent",
        `With the operator key, name the publisher in the ${publisherIdHeader} header.`,
        {
          target: publisherIdHeader,
        },
      );
    }
    if (!(await deps.publisherExists(named))) {
      throw new ApiError("EntityNotFound", `There is no publisher "${named}".`, {
        target: publisherIdHeader,
      });
    }
    return { publisherId: named, authenticatedBy: "operatorKey" };
  }
  const principal = await deps.publisherAuth.authenticate(request);
  if (named && named !== principal.publisherId) {
    throw new ApiError(
      "Forbidden",
      `The token belongs to publisher "${principal.publisherId}", not "${named}".`,
      {
        target: publisherIdHeader,
      },
    );
  }
  return { publisherId: principal.publisherId, authenticatedBy: "publisherToken" };
}

/** Registers routes under /partner/v1 in a scope that authenticates every request before anything else. */
export async function partnerScope(
  app: FastifyInstance,
  deps: PartnerAuthDeps,
  register: (scope: FastifyInstance) => void,
): Promise<void> {
  await app.register(
    async (scope) => {
      scope.addHook("onRequest", async (request) => {
        request.partner = await authenticatePartner(request, deps);
      });
      register(scope);
    },
    { prefix: "/partner/v1" },
  );
}

/** The authenticated partner of a request in a partner scope. */
export function partnerOf(request: FastifyRequest): PartnerPrincipal {
  if (!request.partner) throw new Error("partnerOf() called outside a partner scope");
  return request.partner;
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  const single = Array.isArray(value) ? value[0] : value;
  return single?.trim() || undefined;
}
