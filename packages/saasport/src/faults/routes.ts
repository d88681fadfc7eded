import { randomInt, randomUUID } from "node:crypto";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { Static } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { Clock } from "../clock/clock.js";
import type { Database } from "../db/tables.js";
import { ApiError, badArgument } from "../http/errors.js";
import { requireOperator } from "../http/operator-auth.js";
import { labelOf } from "./decision.js";
import type { FaultInjector } from "./injector.js";
import {
  ClearedFaults,
  ClearFaultsQuery,
  CreateFaultBody,
  Fault,
  FaultList,
  FaultParams,
  ListFaultsQuery,
  operatorFaultDocs,
} from "./schemas.js";
import { type FaultRequest, maxSeed, specOf } from "./spec.js";
import type { FaultStore, StoredFault } from "./store.js";

export interface FaultRouteDeps {
  db: Kysely<Database>;
  store: FaultStore;
  injector: FaultInjector;
  clock: Clock;
  operatorKeyHash: string;
}

/** /operator/v1/faults: create, list and clear injected faults. */
export function registerFaultRoutes(app: FastifyInstance, deps: FaultRouteDeps): void {
  const routes = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireOperator(deps.operatorKeyHash);

  routes.post(
    "/operator/v1/faults",
    {
      onRequest,
      preValidation: refuseUnknownFields,
      schema: {
        ...operatorFaultDocs,
        summary: "Inject a fault into webhook deliveries or /api calls",
        body: CreateFaultBody,
        response: { 201: Fault },
      },
    },
    async (request, reply) => {
      const body = request.body as FaultRequest;
      const spec = specOf(body);
      const scope = await scopeOf(deps.db, body);
      const stored = await deps.store.insert({
        id: randomUUID(),
        target: body.target,
        ...scope,
        spec,
        seed: body.seed ?? randomInt(0, maxSeed + 1),
        now: deps.clock.now(),
      });
      deps.injector.invalidate();
      return reply.code(201).send(viewOf(stored));
    },
  );

  routes.get(
    "/operator/v1/faults",
    {
      onRequest,
      schema: {
        ...operatorFaultDocs,
        summary: "Active faults, oldest first (the oldest matching one decides)",
        querystring: ListFaultsQuery,
        response: { 200: FaultList },
      },
    },
    async (request) => {
      const faults = await deps.store.list({ includeInactive: request.query.all === true });
      return { faults: faults.map(viewOf) };
    },
  );

  routes.delete(
    "/operator/v1/faults/:faultId",
    {
      onRequest,
      schema: { ...operatorFaultDocs, summary: "Clear a fault", params: FaultParams },
    },
    async (request, reply) => {
      const found = await deps.store.clear(request.params.faultId, deps.clock.now());
      if (!found)
        throw new ApiError("EntityNotFound", `There is no fault '${request.params.faultId}'.`, {
          target: "faultId",
        });
      deps.injector.invalidate();
      return reply.code(204).send();
    },
  );

  routes.delete(
    "/operator/v1/faults",
    {
      onRequest,
      schema: {
        ...operatorFaultDocs,
        summary: "Clear every fault, or those of one publisher",
        querystring: ClearFaultsQuery,
        response: { 200: ClearedFaults },
      },
    },
    async (request) => {
      const publisherId = request.query.publisherId;
      const cleared = await deps.store.clearAll({
        ...(publisherId === undefined ? {} : { publisherId }),
        now: deps.clock.now(),
      });
      deps.injector.invalidate();
      return { cleared };
    },
  );
}

/** The schema would drop unknown fields silently; a misspelt `probabilty` must not mean "always". */
async function refuseUnknownFields(request: FastifyRequest): Promise<void> {
  const body = request.body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return;
  const unknown = Object.keys(body).find((field) => !Object.hasOwn(CreateFaultBody.properties, field));
  if (unknown !== undefined)
    throw badArgument(
      unknown,
      `Unknown field '${unknown}'; a fault takes ${Object.keys(CreateFaultBody.properties).join(", ")}.`,
    );
}

/**
 * The publisher and subscription a fault is limited to, both checked to exist. A subscription
 * scope also records the subscription's publisher (clearing by publisher then clears it too).
 */
async function scopeOf(
  db: Kysely<Database>,
  body: Pick<FaultRequest, "publisherId" | "subscriptionId">,
): Promise<{ publisherId: string | null; subscriptionId: string | null }> {
  if (body.publisherId !== undefined) {
    const publisher = await db
      .selectFrom("publishers")
      .select("id")
      .where("id", "=", body.publisherId)
      .executeTakeFirst();
    if (!publisher) throw badArgument("publisherId", `There is no publisher '${body.publisherId}'.`);
  }
  if (body.subscriptionId === undefined)
    return { publisherId: body.publisherId ?? null, subscriptionId: null };
  const subscription = await db
    .selectFrom("subscriptions")
    .select(["id", "publisher_id"])
    .where("id", "=", body.subscriptionId)
    .executeTakeFirst();
  if (!subscription)
    throw badArgument("subscriptionId", `There is no subscription '${body.subscriptionId}'.`);
  if (body.publisherId !== undefined && subscription.publisher_id !== body.publisherId)
    throw badArgument(
      "subscriptionId",
      `Subscription '${body.subscriptionId}' belongs to publisher '${subscription.publisher_id}', not '${body.publisherId}'.`,
    );
  return { publisherId: subscription.publisher_id, subscriptionId: subscription.id };
}

export function viewOf(fault: StoredFault): Static<typeof Fault> {
  const { kind, status, delayMs, holdMs, probability, count } = fault.spec;
  return {
    id: fault.id,
    target: fault.target,
    publisherId: fault.publisherId,
    subscriptionId: fault.subscriptionId,
    kind,
    ...(status === undefined ? {} : { status }),
    ...(delayMs === undefined ? {} : { delayMs }),
    ...(holdMs === undefined ? {} : { holdMs }),
    probability,
    count,
    remaining: fault.remaining,
    seed: fault.seed,
    hits: fault.hits,
    consults: fault.consults,
    active: fault.clearedAt === null && (fault.remaining === null || fault.remaining > 0),
    label: labelOf(fault.id, fault.spec),
    createdAt: fault.createdAt,
    clearedAt: fault.clearedAt,
  };
}
