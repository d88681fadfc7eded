import type { requireOperator } from "../../../http/operator-auth.js";
import type { CatalogServiceDeps } from "../../service/deps.js";
import { catalogOverview } from "../../service/publishers.js";
import { CatalogOverviewView } from "../../views.js";
import { operatorDocs, type TypedApp } from "../route-kit.js";

export function registerGetCatalog(
  app: TypedApp,
  deps: CatalogServiceDeps,
  operatorOnly: ReturnType<typeof requireOperator>,
): void {
  app.get(
    "/operator/v1/catalog",
    {
      onRequest: operatorOnly,
      schema: {
        ...operatorDocs,
        summary:
          "The whole catalog: publishers, offers, plans with prices, seats, dimensions, audiences and stop-sell",
        response: { 200: CatalogOverviewView },
      },
    },
    async () => catalogOverview(deps),
  );
}
