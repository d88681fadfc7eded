import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import type { Clock } from "../clock/clock.js";
import type { Database } from "../db/tables.js";
import { requireOperator } from "../http/operator-auth.js";
import { operatorIdentityDocs, RotatedKey, SigningKeyList } from "./operator-schemas.js";
import { listSigningKeys, rotateSigningKey } from "./signing-keys.js";

export interface SigningKeyRouteDeps {
  db: Kysely<Database>;
  clock: Clock;
  operatorKeyHash: string;
  /** Called after a rotation so this process signs with the new key at once. */
  onRotated: () => void;
}

export function registerOperatorSigningKeyRoutes(app: FastifyInstance, deps: SigningKeyRouteDeps): void {
  const routes = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireOperator(deps.operatorKeyHash);

  routes.post(
    "/operator/v1/signing-keys/rotate",
    {
      onRequest,
      schema: {
        ...operatorIdentityDocs,
        summary: "Rotate the token signing key; the previous key stays published until its tokens expire",
        response: { 200: RotatedKey },
      },
    },
    async () => {
      const rotated = await rotateSigningKey(deps.db, deps.clock.now());
      deps.onRotated();
      return rotated;
    },
  );

  routes.get(
    "/operator/v1/signing-keys",
    {
      onRequest,
      schema: {
        ...operatorIdentityDocs,
        summary: "The signing keys, active and retired",
        response: { 200: SigningKeyList },
      },
    },
    async () => ({
      keys: await listSigningKeys(deps.db),
    }),
  );
}
