import { Type } from "@sinclair/typebox";
import type { requireOperator } from "../../../http/operator-auth.js";
import type { CatalogServiceDeps } from "../../service/deps.js";
import { listPublishers } from "../../service/publishers.js";
import { PublisherView } from "../../views.js";
import { operatorDocs, type TypedApp } from "../route-kit.js";

export function registerListPublishers(
  app: TypedApp,
  deps: CatalogServiceDeps,
  operatorOnly: ReturnType<typeof requireOperator>,
): void {
  app.get(
    "/operator/v1/publishers",
    {
      onRequest: operatorOnly,
      schema: {
        ...operatorDocs,
        summary: "Every publisher with its technical configuration",
        response: { 200: Type.Object({ publishers: Type.Array(PublisherView) }) },
      },
    },
    async () => ({ publishers: await listPublishers(deps) }),
  );
}
