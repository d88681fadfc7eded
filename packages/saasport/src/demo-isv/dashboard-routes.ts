import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type DemoIsvDeps, frameFor, type PublisherParams } from "./deps.js";
import { formField, refuseForm } from "./form-posts.js";
import { bindings } from "./form-tokens.js";
import { dashboardPage } from "./pages/dashboard-page.js";
import { messagePage } from "./pages/message-page.js";
import { publisherOr404 } from "./publisher-lookup.js";
import { sendPage } from "./responses.js";
import { isWebhookMode } from "./webhook-decision.js";

type LogRequest = FastifyRequest<{ Params: PublisherParams; Querystring: Record<string, unknown> }>;

const pageSize = 25;
const maxJsonLimit = 200;

/** The dashboard (log and webhook behaviour), its JSON variant and the settings form. */
export function registerDashboardRoutes(app: FastifyInstance, deps: DemoIsvDeps): void {
  const dashboard = async (request: LogRequest, reply: FastifyReply) => {
    const publisher = await publisherOr404(deps, request.params.publisherId, reply);
    if (!publisher) return reply;
    const before = positionParam(request.query.before);
    if (before === null)
      return sendPage(
        reply,
        400,
        messagePage(
          frameFor(publisher, "Bad page link"),
          "error",
          "The before= parameter must be a positive whole number.",
        ),
      );
    const records = await deps.log.page(publisher.publisherId, { before, limit: pageSize + 1 });
    const shown = records.slice(0, pageSize);
    const last = shown.at(-1);
    const base = `/demo-isv/${encodeURIComponent(publisher.publisherId)}/`;
    return sendPage(
      reply,
      200,
      dashboardPage(frameFor(publisher, `${publisher.displayName}: demo app dashboard`), {
        publisherId: publisher.publisherId,
        records: shown,
        olderHref: records.length > pageSize && last ? `${base}?before=${last.position}` : undefined,
        firstPage: before === undefined,
        mode: await deps.log.webhookMode(publisher.publisherId),
        settingsCsrf: deps.forms.issue(bindings.settings(publisher.publisherId), deps.clock.now()),
      }),
    );
  };
  app.get("/:publisherId/", dashboard);
  app.get("/:publisherId", dashboard);

  app.get("/:publisherId/log.json", async (request: LogRequest, reply) => {
    const publisher = await deps.apps(request.params.publisherId);
    if (!publisher)
      return reply.code(404).send({ error: { code: "NotFound", message: "No such publisher." } });
    const before = positionParam(request.query.before);
    const limitParam = positionParam(request.query.limit);
    const limit = limitParam === undefined ? pageSize : limitParam;
    if (before === null || limit === null || limit > maxJsonLimit) {
      return reply.code(400).send({
        error: {
          code: "BadArgument",
          message: `before must be a positive whole number and limit one from 1 to ${maxJsonLimit}.`,
        },
      });
    }
    const records = await deps.log.page(publisher.publisherId, { before, limit: limit + 1 });
    const shown = records.slice(0, limit);
    const last = shown.at(-1);
    return reply.header("cache-control", "no-store").send({
      mode: await deps.log.webhookMode(publisher.publisherId),
      records: shown,
      ...(records.length > limit && last
        ? {
            next: `/demo-isv/${encodeURIComponent(publisher.publisherId)}/log.json?before=${last.position}&limit=${limit}`,
          }
        : {}),
    });
  });

  app.post(
    "/:publisherId/settings",
    { bodyLimit: 8 * 1024 },
    async (request: FastifyRequest<{ Params: PublisherParams }>, reply) => {
      const publisher = await publisherOr404(deps, request.params.publisherId, reply);
      if (!publisher) return reply;
      const now = deps.clock.now();
      if (!deps.forms.check(formField(request.body, "csrf"), bindings.settings(publisher.publisherId), now)) {
        return refuseForm(deps, publisher, reply);
      }
      const mode = formField(request.body, "mode");
      if (!isWebhookMode(mode)) {
        return sendPage(
          reply,
          400,
          messagePage(
            frameFor(publisher, "Choose a behaviour"),
            "error",
            "Pick one of the webhook behaviours and save again.",
          ),
        );
      }
      await deps.log.add(
        {
          publisherId: publisher.publisherId,
          kind: "setting",
          summary: `Webhook behaviour set to ${mode}`,
          detail: { mode },
        },
        now,
      );
      return reply
        .code(303)
        .header("location", `/demo-isv/${encodeURIComponent(publisher.publisherId)}/`)
        .send();
    },
  );
}

/** undefined when absent, null when malformed. */
function positionParam(value: unknown): number | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^[1-9]\d{0,14}$/.test(value)) return null;
  return Number(value);
}
