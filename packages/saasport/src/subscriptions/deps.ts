import type { FastifyBaseLogger, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { CatalogReader } from "../catalog/repository.js";
import type { Clock } from "../clock/clock.js";
import type { ClockService } from "../clock/clock-service.js";
import type { Settings } from "../config/settings.js";
import type { Dialect } from "../db/connection.js";
import type { Database } from "../db/tables.js";
import type { Signals } from "../events/signals.js";
import { ApiError } from "../http/errors.js";
import type { PublisherPrincipal } from "../identity/principal.js";
import type { OperationProcessor } from "./operation-processor.js";
import { isUniqueViolation, type SubscriptionRepository, type SubscriptionRow } from "./repository.js";

/** What the fulfillment routes need; `baseUrl` is read per request because it is known only after listen. */
export interface FulfillmentDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  subscriptions: SubscriptionRepository;
  catalog: CatalogReader;
  settings: Settings;
  /** Real time (token checks, ack windows). */
  clock: Clock;
  /** Business time (subscription dates, events); `clocks.now(row.test_clock)` for a subscription. */
  clocks: ClockService;
  signals: Signals;
  processor: OperationProcessor;
  log: FastifyBaseLogger;
  baseUrl(): string;
}

declare module "fastify" {
  interface FastifyRequest {
    publisher?: PublisherPrincipal;
  }
}

export function principalOf(request: FastifyRequest): PublisherPrincipal {
  if (!request.publisher) throw new ApiError("Unauthorized");
  return request.publisher;
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return guidPattern.test(value);
}

export function subscriptionNotFound(subscriptionId: string): ApiError {
  return new ApiError("EntityNotFound", `Subscription ${subscriptionId.slice(0, 100)} was not found.`, {
    target: "subscriptionId",
  });
}

/**
 * Another publisher's subscription is answered like a bad token (403), never 404, as the live API does:
 * whether a subscription exists is not revealed across publishers.
 */
export function assertOwnedBy<Row extends Pick<SubscriptionRow, "publisher_id">>(
  row: Row | undefined,
  subscriptionId: string,
  principal: PublisherPrincipal,
): Row {
  if (!row) throw subscriptionNotFound(subscriptionId);
  if (row.publisher_id !== principal.publisherId) throw new ApiError("Forbidden");
  return row;
}

async function loadOwned<Row extends Pick<SubscriptionRow, "publisher_id">>(
  request: FastifyRequest,
  subscriptionId: string,
  read: (id: string) => Promise<Row | undefined>,
): Promise<Row> {
  if (!isGuid(subscriptionId)) throw subscriptionNotFound(subscriptionId);
  return assertOwnedBy(await read(subscriptionId.toLowerCase()), subscriptionId, principalOf(request));
}

export function loadOwnedSubscription(
  deps: FulfillmentDeps,
  request: FastifyRequest,
  subscriptionId: string,
) {
  return loadOwned(request, subscriptionId, (id) => deps.subscriptions.get(id));
}

/** Only the wire columns, for the answer that shows the subscription and needs nothing else (GET). */
export function loadOwnedWireSubscription(
  deps: FulfillmentDeps,
  request: FastifyRequest,
  subscriptionId: string,
) {
  return loadOwned(request, subscriptionId, (id) => deps.subscriptions.getWire(id));
}

export async function offerOf(
  deps: FulfillmentDeps,
  row: Pick<SubscriptionRow, "id" | "publisher_id" | "offer_id">,
) {
  const offer = await deps.catalog.getOffer(row.publisher_id, row.offer_id);
  if (!offer)
    throw new ApiError("UnexpectedError", `Offer ${row.offer_id} of subscription ${row.id} is missing.`);
  return offer;
}

export function apiPath(...segments: string[]): string {
  return `/api/saas/subscriptions/${segments.map(encodeURIComponent).join("/")}`;
}

/**
 * Logs why a batched PostgreSQL statement failed; its requests are then redone one by one. A second
 * pending operation is a client's race, answered with the locked error, so it is only a debug line;
 * anything else (a lost deadlock, say) is a warning, as a fast path that keeps failing costs speed.
 */
export function batchFailureLogger(deps: Pick<FulfillmentDeps, "log">, what: string) {
  return (error: unknown) => {
    if (isUniqueViolation(error)) deps.log.debug({ err: error }, `${what}: redone one by one`);
    else deps.log.warn({ err: error }, `${what} failed; redone one by one`);
  };
}
