import { generateKeyPairSync } from "node:crypto";
import { baseUrlPlaceholder } from "../../../src/catalog/reference-data.js";

/** Fixed ids used across the catalog tests. */
export const ids = {
  tenant: "0a0a0a0a-0000-4000-8000-000000000001",
  app: "0b0b0b0b-0000-4000-8000-000000000001",
  otherTenant: "0a0a0a0a-0000-4000-8000-000000000002",
  otherApp: "0b0b0b0b-0000-4000-8000-000000000002",
  buyer: "0c0c0c0c-0000-4000-8000-000000000001",
  otherBuyer: "0c0c0c0c-0000-4000-8000-000000000002",
} as const;

/** A JSON-like document the tests mutate freely. */
// biome-ignore lint/suspicious/noExplicitAny: tests reach into the raw document by path on purpose.
export type RawDocument = any;

export function flatRatePlan(id = "basic"): RawDocument {
  return {
    id,
    displayName: `Plan ${id}`,
    description: "A plan.",
    billingTerms: [
      { termUnit: "P1M", price: "10.00", currency: "USD", paymentOption: "upfront" },
      { termUnit: "P1Y", price: "100", currency: "USD", paymentOption: "monthly" },
    ],
    meteredDimensions: [
      {
        id: "api-calls",
        displayName: "API calls",
        unitOfMeasure: "1000 calls",
        pricePerUnit: "0.5",
        currency: "USD",
        includedQuantity: { P1M: "100", P1Y: "unlimited" },
      },
    ],
  };
}

export function perUserPlan(id = "team"): RawDocument {
  return {
    id,
    displayName: `Plan ${id}`,
    seats: { min: 1, max: 50 },
    billingTerms: [{ termUnit: "P1M", price: 12, paymentOption: "upfront" }],
  };
}

export function privatePlan(id = "vip"): RawDocument {
  return {
    id,
    displayName: `Plan ${id}`,
    private: true,
    audience: [ids.buyer],
    billingTerms: [{ termUnit: "P1Y", price: "1000.00", paymentOption: "upfront" }],
  };
}

export function publisher(
  id = "contoso",
  tenantId: string = ids.tenant,
  appId: string = ids.app,
): RawDocument {
  return {
    id,
    displayName: `${id} Inc.`,
    technicalConfiguration: {
      tenantId,
      appId,
      landingPageUrl: `${baseUrlPlaceholder}/isv/landing`,
      webhookUrl: "https://isv.example/webhook",
    },
    credentials: { clientSecrets: [`${id}-secret-0123456789`] },
    offers: [
      {
        id: "analytics",
        displayName: "Analytics",
        pricingModel: "flatRate",
        plans: [flatRatePlan(), privatePlan()],
      },
      { id: "crm", displayName: "CRM", pricingModel: "perUser", plans: [perUserPlan()] },
    ],
  };
}

/** A catalog that breaks no rule; each test row changes one thing in it. */
export function validCatalog(): RawDocument {
  return { publishers: [publisher()] };
}

export function rsaPublicKeyPem(bits = 2048): string {
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  return String(publicKey.export({ type: "spki", format: "pem" }));
}
