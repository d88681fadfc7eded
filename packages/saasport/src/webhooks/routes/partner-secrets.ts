import { Type } from "@sinclair/typebox";
import type { TypedApp } from "../../catalog/routes/route-kit.js";
import type { Clock } from "../../clock/clock.js";
import { toStored } from "../../db/time.js";
import { ApiError } from "../../http/errors.js";
import { partnerOf } from "../../http/partner-auth.js";
import { maxActiveWebhookSecrets, type WebhookSecretStore } from "../webhook-secrets.js";
import { CreatedSecret, IdParams, partnerDocs, SecretView } from "./schemas.js";

export interface PartnerSecretDeps {
  secrets: WebhookSecretStore;
  clock: Clock;
}

/** HMAC secrets for the optional x-saasport-signature header: create (shown once), list, retire. */
export function registerPartnerSecretRoutes(app: TypedApp, deps: PartnerSecretDeps): void {
  app.post(
    "/webhook-secrets",
    {
      schema: {
        ...partnerDocs,
        summary: "Creates a webhook signing secret; the secret is in this answer only",
        response: { 201: CreatedSecret },
      },
    },
    async (request, reply) => {
      const created = await deps.secrets.create(partnerOf(request).publisherId, toStored(deps.clock.now()));
      if (!created) {
        throw new ApiError(
          "Conflict",
          `A publisher has at most ${maxActiveWebhookSecrets} unretired webhook secrets; retire one first.`,
        );
      }
      return reply.code(201).send(created);
    },
  );

  app.get(
    "/webhook-secrets",
    {
      schema: {
        ...partnerDocs,
        summary: "The publisher's webhook signing secrets (ids and dates, never the secrets)",
        response: { 200: Type.Object({ secrets: Type.Array(SecretView) }) },
      },
    },
    async (request) => ({ secrets: await deps.secrets.list(partnerOf(request).publisherId) }),
  );

  app.post(
    "/webhook-secrets/:id/retire",
    {
      schema: {
        ...partnerDocs,
        summary: "Retires a webhook signing secret: calls are no longer signed with it",
        params: IdParams,
        response: { 200: SecretView },
      },
    },
    async (request) => {
      const retired = await deps.secrets.retire(
        partnerOf(request).publisherId,
        request.params.id,
        toStored(deps.clock.now()),
      );
      if (!retired) {
        throw new ApiError("EntityNotFound", `There is no webhook secret "${request.params.id}".`, {
          target: "id",
        });
      }
      return retired;
    },
  );
}
