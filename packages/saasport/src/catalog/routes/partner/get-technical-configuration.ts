import { partnerOf } from "../../../http/partner-auth.js";
import type { CatalogServiceDeps } from "../../service/deps.js";
import { getTechnicalConfiguration } from "../../service/publishers.js";
import { TechnicalConfigurationView } from "../../views.js";
import { partnerDocs, type TypedApp } from "../route-kit.js";

export function registerGetTechnicalConfiguration(app: TypedApp, deps: CatalogServiceDeps): void {
  app.get(
    "/technical-configuration",
    {
      schema: {
        ...partnerDocs,
        summary: "The publisher's technical configuration: tenant id, app id, landing page and webhook URLs",
        response: { 200: TechnicalConfigurationView },
      },
    },
    async (request) => getTechnicalConfiguration(deps, partnerOf(request).publisherId),
  );
}
