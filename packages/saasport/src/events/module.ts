import type { ServerResponse } from "node:http";
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { createCatalogReader } from "../catalog/repository.js";
import type { AppContext } from "../http/context.js";
import { ApiError } from "../http/errors.js";
import type { HttpModule } from "../http/module.js";
import { requireOperator } from "../http/operator-auth.js";
import { partnerOf, partnerScope } from "../http/partner-auth.js";
import { listEvents } from "./repository.js";
import { resumePosition, streamEvents } from "./stream.js";
import { eventView } from "./view.js";

const guidPattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
const eventQuery = Type.Object(
  {
    subscriptionId: Type.Optional(Type.String({ pattern: guidPattern })),
    after: Type.Optional(Type.Integer({ minimum: 0, description: "seq with subscriptionId, else position" })),
    type: Type.Optional(Type.String({ pattern: "^[A-Za-z]{1,40}(,[A-Za-z]{1,40}){0,20}$" })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
const operatorQuery = Type.Composite([
  eventQuery,
  Type.Object({ publisherId: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })) }),
]);
const streamQuery = Type.Object(
  {
    subscriptionId: Type.Optional(Type.String({ pattern: guidPattern })),
    after: Type.Optional(Type.Integer({ minimum: 0, description: "position" })),
  },
  { additionalProperties: false },
);
const operatorStreamQuery = Type.Composite([
  streamQuery,
  Type.Object({ publisherId: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })) }),
]);

/**
 * The event log: every state change of every subscription, numbered per subscription (`seq`) and in
 * global order (`position`). Publishers read their own at /partner/v1/events; the operator reads all.
 * Both can follow it live as server-sent events.
 */
export const eventsModule: HttpModule = {
  name: "events",
  register: registerEvents,
};

async function registerEvents(app: FastifyInstance, ctx: AppContext): Promise<undefined> {
  const reader = createCatalogReader(ctx.db);
  const streamDeps = { db: ctx.db, signals: ctx.signals, open: new Set<ServerResponse>() };
  app.addHook("preClose", async () => {
    for (const stream of streamDeps.open) stream.end();
  });

  async function page(query: Static<typeof operatorQuery>, publisherId: string | undefined) {
    const limit = query.limit ?? 100;
    const rows = await listEvents(ctx.db, {
      publisherId,
      subscriptionId: query.subscriptionId?.toLowerCase(),
      after: query.after,
      types: query.type?.split(","),
      limit,
    });
    const last = rows.at(-1);
    const nextAfter =
      rows.length === limit && last ? (query.subscriptionId ? last.seq : Number(last.position)) : null;
    return { events: rows.map(eventView), nextAfter };
  }

  async function assertOwnSubscription(publisherId: string, subscriptionId: string | undefined) {
    if (!subscriptionId) return;
    const row = await ctx.db
      .selectFrom("subscriptions")
      .select("publisher_id")
      .where("id", "=", subscriptionId.toLowerCase())
      .executeTakeFirst();
    if (row?.publisher_id !== publisherId) {
      throw new ApiError("EntityNotFound", `Subscription ${subscriptionId} was not found.`, {
        target: "subscriptionId",
      });
    }
  }

  const partnerAuth = {
    publisherAuth: ctx.publisherAuth,
    operatorKeyHash: ctx.operatorKeyHash,
    publisherExists: async (publisherId: string) => (await reader.getPublisher(publisherId)) !== undefined,
  };
  await partnerScope(app, partnerAuth, (scope) => {
    scope.get<{ Querystring: Static<typeof eventQuery> }>(
      "/events",
      { schema: { querystring: eventQuery, tags: ["partner"], summary: "The publisher's event log" } },
      async (request) => {
        const { publisherId } = partnerOf(request);
        await assertOwnSubscription(publisherId, request.query.subscriptionId);
        return page(request.query, publisherId);
      },
    );
    scope.get<{ Querystring: Static<typeof streamQuery> }>(
      "/events/stream",
      {
        schema: {
          querystring: streamQuery,
          tags: ["partner"],
          summary: "The event log as server-sent events",
        },
      },
      async (request, reply) => {
        const { publisherId } = partnerOf(request);
        await assertOwnSubscription(publisherId, request.query.subscriptionId);
        streamEvents(streamDeps, request, reply, {
          publisherId,
          subscriptionId: request.query.subscriptionId?.toLowerCase(),
          after: resumePosition(request, request.query.after),
        });
      },
    );
  });

  const operatorOnly = requireOperator(ctx.operatorKeyHash);
  app.get<{ Querystring: Static<typeof operatorQuery> }>(
    "/operator/v1/events",
    { onRequest: operatorOnly, schema: { querystring: operatorQuery, tags: ["operator"] } },
    async (request) => page(request.query, request.query.publisherId),
  );
  app.get(
    "/operator/v1/events/latest",
    { onRequest: operatorOnly, schema: { tags: ["operator"], summary: "The newest event's position" } },
    async () => {
      const row = await ctx.db
        .selectFrom("events")
        .select((eb) => eb.fn.max("position").as("position"))
        .executeTakeFirst();
      return { position: Number(row?.position ?? 0) };
    },
  );
  app.get<{ Querystring: Static<typeof operatorStreamQuery> }>(
    "/operator/v1/events/stream",
    { onRequest: operatorOnly, schema: { querystring: operatorStreamQuery, tags: ["operator"] } },
    async (request, reply) => {
      streamEvents(streamDeps, request, reply, {
        publisherId: request.query.publisherId,
        subscriptionId: request.query.subscriptionId?.toLowerCase(),
        after: resumePosition(request, request.query.after),
      });
    },
  );
  return undefined;
}
