import { partnerOf } from "../../../http/partner-auth.js";
import { TechnicalConfigurationPatchInput } from "../../input-schema.js";
import { baseUrlPlaceholder } from "../../reference-data.js";
import { readBody } from "../../service/api-errors.js";
import type { CatalogServiceDeps } from "../../service/deps.js";
import { updateTechnicalConfiguration } from "../../service/publishers.js";
import { TechnicalConfigurationView } from "../../views.js";
import { partnerDocs, type TypedApp, validatedInHandler } from "../route-kit.js";

export function registerUpdateTechnicalConfiguration(app: TypedApp, deps: CatalogServiceDeps): void {
  app.patch(
    "/technical-configuration",
    {
      schema: {
        ...partnerDocs,
        summary: `Change the technical configuration (URLs may use ${baseUrlPlaceholder})`,
        body: TechnicalConfigurationPatchInput,
        response: { 200: TechnicalConfigurationView },
      },
      validatorCompiler: validatedInHandler,
    },
    async (request) =>
      updateTechnicalConfiguration(
        deps,
        partnerOf(request).publisherId,
        readBody(TechnicalConfigurationPatchInput, request.body),
      ),
  );
}
