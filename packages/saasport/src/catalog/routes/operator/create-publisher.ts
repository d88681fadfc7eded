import type { requireOperator } from "../../../http/operator-auth.js";
import { PublisherFieldsInput } from "../../input-schema.js";
import { readBody } from "../../service/api-errors.js";
import type { CatalogServiceDeps } from "../../service/deps.js";
import { createPublisher } from "../../service/publishers.js";
import { CreatedPublisherView } from "../../views.js";
import { operatorDocs, type TypedApp, validatedInHandler } from "../route-kit.js";

export function registerCreatePublisher(
  app: TypedApp,
  deps: CatalogServiceDeps,
  operatorOnly: ReturnType<typeof requireOperator>,
): void {
  app.post(
    "/operator/v1/publishers",
    {
      onRequest: operatorOnly,
      schema: {
        ...operatorDocs,
        summary:
          "Create a publisher with its technical configuration; without credentials a client secret is generated",
        body: PublisherFieldsInput,
        response: { 201: CreatedPublisherView },
      },
      validatorCompiler: validatedInHandler,
    },
    async (request, reply) => {
      const created = await createPublisher(deps, readBody(PublisherFieldsInput, request.body));
      return reply.code(201).send(created);
    },
  );
}
