import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadCatalogFile, readCatalogText } from "../../src/catalog/catalog-file.js";
import { baseUrlPlaceholder } from "../../src/catalog/reference-data.js";
import { CatalogValidationError } from "../../src/catalog/validation/issues.js";
import { ids, validCatalog } from "./support/catalog-builders.js";

const directory = mkdtempSync(join(tmpdir(), "saasport-catalog-file-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(directory, name);
  writeFileSync(file, text);
  return file;
}

async function problemsOf(load: () => Promise<unknown>): Promise<CatalogValidationError> {
  const error = await load().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CatalogValidationError);
  return error as CatalogValidationError;
}

describe("catalog files", () => {
  it("reads YAML and JSON into the same catalog", async () => {
    const fromYaml = await loadCatalogFile(write("catalog.yaml", stringify(validCatalog())));
    const fromYml = await loadCatalogFile(write("catalog.yml", stringify(validCatalog())));
    const fromJson = await loadCatalogFile(write("catalog.json", JSON.stringify(validCatalog())));
    expect(fromYaml).toEqual(fromJson);
    expect(fromYml).toEqual(fromJson);
    const [contoso] = fromJson.publishers;
    expect(contoso?.tenantId).toBe(ids.tenant);
    expect(contoso?.landingPageUrlTemplate).toBe(`${baseUrlPlaceholder}/isv/landing`);
    expect(contoso?.offers.map(({ offer }) => offer.offerId)).toEqual(["analytics", "crm"]);
  });

  it("fills in defaults and stores prices as exact decimal strings", () => {
    const text = `
publishers:
  - id: contoso
    technicalConfiguration:
      tenantId: ${ids.tenant.toUpperCase()}
      appId: ${ids.app}
      landingPageUrl: https://isv.example/landing
      webhookUrl: https://isv.example/webhook
    offers:
      - id: crm
        displayName: CRM
        description:
        pricingModel: perUser
        plans:
          - id: team
            displayName: Team
            private: true
            audience: [${ids.buyer.toUpperCase()}]
            billingTerms:
              - termUnit: P1Y
                price: 49.90
                currency: eur
              - termUnit: P3Y
                price: "1200"
                paymentOption: annual
                currency: eur
`;
    const [contoso] = readCatalogText(text, "yaml", "inline.yaml").publishers;
    expect(contoso?.displayName).toBe("contoso");
    expect(contoso?.tenantId).toBe(ids.tenant);
    expect(contoso?.clientSecrets).toEqual([]);
    const plan = contoso?.offers[0]?.plans[0];
    expect(plan).toEqual({
      publisherId: "contoso",
      offerId: "crm",
      planId: "team",
      displayName: "Team",
      description: "",
      isPrivate: true,
      audience: [ids.buyer],
      minQuantity: 1,
      maxQuantity: 1_000_000,
      hasFreeTrial: false,
      isStopSell: false,
      markets: ["US"],
      billingTerms: [
        { termUnit: "P1Y", price: "49.90", currency: "EUR", paymentOption: "upfront" },
        { termUnit: "P3Y", price: "1200.00", currency: "EUR", paymentOption: "annual" },
      ],
      meteringDimensions: [],
      allowExtendedTerms: false,
      autoActivation: false,
    });
  });

  it("lists every problem with the file name, the path and the rule in the error message", async () => {
    const document = validCatalog();
    document.publishers[0].technicalConfiguration.landingPageUrl = "https://isv.example/#landing";
    document.publishers[0].offers[0].plans[0].billingTerms[0].paymentOption = "monthly";
    const file = write("broken.yaml", stringify(document));
    const error = await problemsOf(() => loadCatalogFile(file));
    expect(error.file).toBe(file);
    expect(error.issues).toHaveLength(2);
    expect(error.message).toBe(
      [
        `Catalog ${file} has 2 problems:`,
        `  ${file}: publishers[0].technicalConfiguration.landingPageUrl: must not contain '#': the marketplace appends ?token=… to the landing page URL [publisher.landingPageUrl.fragment]`,
        `  ${file}: publishers[0].offers[0].plans[0].billingTerms[0].paymentOption: payment option monthly is not available for a P1M term (allowed: upfront) [plan.billingTerms.paymentOption]`,
      ].join("\n"),
    );
  });

  it.each([
    ["catalog.txt", "file.extension", "publishers: []"],
    ["missing.yaml", "file.unreadable", undefined],
    ["syntax.yaml", "file.syntax", "publishers: [\n  - id: a\n bad"],
    ["duplicate-keys.yaml", "file.syntax", "publishers: []\npublishers: []\n"],
    ["syntax.json", "file.syntax", '{"publishers": [}'],
    ["not-a-mapping.yaml", "structure.type", "- just\n- a list\n"],
    ["no-publishers.json", "structure.required", "{}"],
  ])("reports %s as %s", async (name, rule, text) => {
    const file = text === undefined ? join(directory, name) : write(name, text);
    const error = await problemsOf(() => loadCatalogFile(file));
    expect(new Set(error.issues.map((found) => found.rule))).toEqual(new Set([rule]));
  });
});
