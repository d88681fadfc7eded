import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { type TypedApp, validatedInHandler } from "../catalog/routes/route-kit.js";
import { readBody } from "../catalog/service/api-errors.js";
import type { Clock } from "../clock/clock.js";
import type { Database } from "../db/tables.js";
import { ApiError } from "../http/errors.js";
import { partnerOf, partnerScope } from "../http/partner-auth.js";
import type { PublisherAuthenticator } from "./principal.js";
import type { PublisherDirectory } from "./publisher-directory.js";
import {
  generateClientSecret,
  listClientSecrets,
  registerClientSecret,
  revokeClientSecret,
} from "./secrets.js";

export interface PartnerSecretRouteDeps {
  db: Kysely<Database>;
  clock: Clock;
  operatorKeyHash: string;
  publisherAuth: PublisherAuthenticator;
  directory: Pick<PublisherDirectory, "getPublisher">;
}

const docs = {
  tags: ["Partner: client secrets"],
  security: [{ publisherToken: [] }, { operatorKey: [] }],
} as const;

const nullableString = Type.Union([Type.String(), Type.Null()]);

const SecretSummary = Type.Object({
  id: Type.String(),
  hint: Type.String(),
  description: Type.String(),
  createdAt: Type.String(),
  expiresAt: nullableString,
  revokedAt: nullableString,
});

const PartnerCreateSecretBody = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 200 })),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);

const PartnerCreatedSecret = Type.Object({
  ...SecretSummary.properties,
  tenantId: Type.String(),
  clientId: Type.String(),
  clientSecret: Type.String({ description: "Shown in this answer only" }),
});

const SecretIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

function secretNotFound(id: string): ApiError {
  return new ApiError("EntityNotFound", `There is no client secret "${id.slice(0, 100)}".`, { target: "id" });
}

/**
 * A publisher's own app client secrets under /partner/v1/client-secrets: list (hints and dates only),
 * create (the secret is in the 201 answer only) and revoke.
 */
export function registerPartnerSecretRoutes(app: FastifyInstance, deps: PartnerSecretRouteDeps): void {
  const auth = {
    publisherAuth: deps.publisherAuth,
    operatorKeyHash: deps.operatorKeyHash,
    publisherExists: async (publisherId: string) =>
      (await deps.directory.getPublisher(publisherId)) !== undefined,
  };
  // Loaded with the other plugins; a failure surfaces from app.ready().
  void app.register(async (parent) =>
    partnerScope(parent, auth, (scope) =>
      registerRoutes(scope.withTypeProvider<TypeBoxTypeProvider>(), deps),
    ),
  );
}

function registerRoutes(routes: TypedApp, deps: PartnerSecretRouteDeps): void {
  const summaries = async (publisherId: string) =>
    (await listClientSecrets(deps.db, publisherId)).map(({ secretId, ...rest }) => ({
      id: secretId,
      ...rest,
    }));

  routes.get(
    "/client-secrets",
    {
      schema: {
        ...docs,
        summary: "Your app's client secrets: hints and dates, never the secrets",
        response: { 200: Type.Object({ clientSecrets: Type.Array(SecretSummary) }) },
      },
    },
    async (request) => ({ clientSecrets: await summaries(partnerOf(request).publisherId) }),
  );

  routes.post(
    "/client-secrets",
    {
      bodyLimit: 4096,
      // The body is optional: a POST with nothing creates a secret that never expires.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        ...docs,
        summary: "Create a client secret for your app (shown in this answer only)",
        body: PartnerCreateSecretBody,
        response: { 201: PartnerCreatedSecret },
      },
      // Checked in the handler so that unknown fields (an absolute expiresAt) are refused, not dropped.
      validatorCompiler: validatedInHandler,
    },
    async (request, reply) => {
      const { publisherId } = partnerOf(request);
      const publisher = await deps.directory.getPublisher(publisherId);
      if (!publisher) throw new ApiError("EntityNotFound", `There is no publisher "${publisherId}".`);
      const now = deps.clock.now();
      const body = readBody(PartnerCreateSecretBody, request.body);
      const days = body.expiresInDays;
      const expiresAt = days === undefined ? null : new Date(now.getTime() + days * 24 * 3600 * 1000);
      const clientSecret = generateClientSecret();
      const registered = await registerClientSecret(deps.db, {
        publisherId,
        secret: clientSecret,
        description: body.description ?? "",
        now,
        expiresAt,
      });
      const created = (await summaries(publisherId)).find((entry) => entry.id === registered.id);
      if (!created) throw new Error("a registered client secret is missing");
      return reply
        .code(201)
        .send({ ...created, tenantId: publisher.tenantId, clientId: publisher.appId, clientSecret });
    },
  );

  routes.post(
    "/client-secrets/:id/revoke",
    {
      bodyLimit: 1024,
      schema: {
        ...docs,
        summary: "Revoke a client secret: the token endpoint refuses it from now on",
        params: SecretIdParams,
        response: { 200: SecretSummary },
      },
    },
    async (request) => {
      const { publisherId } = partnerOf(request);
      const id = request.params.id;
      const found = (await summaries(publisherId)).find((entry) => entry.id === id);
      if (!found) throw secretNotFound(id);
      if (found.revokedAt !== null) {
        throw new ApiError("Conflict", `Client secret ${id} was already revoked at ${found.revokedAt}.`, {
          target: "id",
        });
      }
      await revokeClientSecret(deps.db, { publisherId, secretId: id, now: deps.clock.now() });
      const revoked = (await summaries(publisherId)).find((entry) => entry.id === id);
      if (!revoked) throw secretNotFound(id);
      return revoked;
    },
  );
}
