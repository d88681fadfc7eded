import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import type { Publisher } from "../catalog/model.js";
import type { Clock } from "../clock/clock.js";
import type { Database } from "../db/tables.js";
import { ApiError, badArgument } from "../http/errors.js";
import { requireOperator } from "../http/operator-auth.js";
import {
  CreatedSecret,
  CreateSecretBody,
  operatorIdentityDocs,
  PublisherParams,
  SecretList,
  SecretParams,
} from "./operator-schemas.js";
import type { PublisherDirectory } from "./publisher-directory.js";
import {
  generateClientSecret,
  listClientSecrets,
  registerClientSecret,
  revokeClientSecret,
} from "./secrets.js";

export interface OperatorRouteDeps {
  db: Kysely<Database>;
  clock: Clock;
  operatorKeyHash: string;
  directory: Pick<PublisherDirectory, "getPublisher">;
}

export async function requirePublisher(
  directory: Pick<PublisherDirectory, "getPublisher">,
  publisherId: string,
): Promise<Publisher> {
  const publisher = await directory.getPublisher(publisherId);
  if (!publisher)
    throw new ApiError("EntityNotFound", `There is no publisher '${publisherId}'.`, {
      target: "publisherId",
    });
  return publisher;
}

/** Client secrets of a publisher app: create (shown once), list (hints only), revoke. */
export function registerOperatorSecretRoutes(app: FastifyInstance, deps: OperatorRouteDeps): void {
  const routes = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireOperator(deps.operatorKeyHash);
  const path = "/operator/v1/publishers/:publisherId/secrets";

  routes.post(
    path,
    {
      onRequest,
      // The body is optional: `curl -X POST` with nothing creates a secret that never expires.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        ...operatorIdentityDocs,
        summary: "Create a client secret for the publisher's app (shown in this answer only)",
        params: PublisherParams,
        body: CreateSecretBody,
        response: { 201: CreatedSecret },
      },
    },
    async (request, reply) => {
      const publisher = await requirePublisher(deps.directory, request.params.publisherId);
      const now = deps.clock.now();
      const expiresAt = expiryOf(request.body, now);
      const clientSecret = generateClientSecret();
      const registered = await registerClientSecret(deps.db, {
        publisherId: publisher.id,
        secret: clientSecret,
        description: request.body.description ?? "",
        now,
        expiresAt,
      });
      return reply.code(201).send({
        tenantId: publisher.tenantId,
        clientId: publisher.appId,
        clientSecret,
        secretId: registered.id,
        hint: registered.hint,
        description: request.body.description ?? "",
        ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
      });
    },
  );

  routes.get(
    path,
    {
      onRequest,
      schema: {
        ...operatorIdentityDocs,
        summary: "The app's client secrets: hints and dates, never the secrets",
        params: PublisherParams,
        response: { 200: SecretList },
      },
    },
    async (request) => {
      const publisher = await requirePublisher(deps.directory, request.params.publisherId);
      return { secrets: await listClientSecrets(deps.db, publisher.id) };
    },
  );

  routes.delete(
    `${path}/:secretId`,
    {
      onRequest,
      schema: { ...operatorIdentityDocs, summary: "Revoke a client secret", params: SecretParams },
    },
    async (request, reply) => {
      const publisher = await requirePublisher(deps.directory, request.params.publisherId);
      const found = await revokeClientSecret(deps.db, {
        publisherId: publisher.id,
        secretId: request.params.secretId,
        now: deps.clock.now(),
      });
      if (!found) {
        throw new ApiError(
          "EntityNotFound",
          `Publisher '${publisher.id}' has no secret '${request.params.secretId}'.`,
          {
            target: "secretId",
          },
        );
      }
      return reply.code(204).send();
    },
  );
}

function expiryOf(body: { expiresAt?: string; expiresInDays?: number }, now: Date): Date | null {
  if (body.expiresAt !== undefined && body.expiresInDays !== undefined) {
    throw badArgument("expiresAt", "Send either expiresAt or expiresInDays, not both.");
  }
  if (body.expiresAt !== undefined) return new Date(body.expiresAt);
  if (body.expiresInDays !== undefined)
    return new Date(now.getTime() + body.expiresInDays * 24 * 3600 * 1000);
  return null;
}
