import { describe, expect, it } from "vitest";
import { validateCatalogDocument } from "../../src/catalog/validation/catalog-rules.js";
import {
  flatRatePlan,
  ids,
  privatePlan,
  publisher,
  type RawDocument,
  rsaPublicKeyPem,
  validCatalog,
} from "./support/catalog-builders.js";

const P = "publishers[0]";
const TC = `${P}.technicalConfiguration`;
const OFFER = `${P}.offers[0]`;
const PLAN = `${OFFER}.plans[0]`;
const VIP = `${OFFER}.plans[1]`;
const CRM = `${P}.offers[1]`;
const SEATS_PLAN = `${CRM}.plans[0]`;

interface RuleRow {
  rule: string;
  path: string;
  change: (doc: RawDocument) => void;
}

const spki = rsaPublicKeyPem();
const many = <T>(count: number, make: (index: number) => T): T[] =>
  Array.from({ length: count }, (_, index) => make(index));

/** One row per rule: a valid catalog, one change, and the one problem it must produce. */
const rows: RuleRow[] = [
  // shapes
  { rule: "structure.required", path: `${P}.id`, change: (d) => delete d.publishers[0].id },
  {
    rule: "structure.unknownField",
    path: `${PLAN}.stopsell`,
    change: (d) => (d.publishers[0].offers[0].plans[0].stopsell = true),
  },
  {
    rule: "structure.type",
    path: `${PLAN}.freeTrial`,
    change: (d) => (d.publishers[0].offers[0].plans[0].freeTrial = "yes"),
  },
  {
    rule: "structure.type",
    path: `${OFFER}.pricingModel`,
    change: (d) => (d.publishers[0].offers[0].pricingModel = "tiered"),
  },
  // publisher
  { rule: "publisher.id.format", path: `${P}.id`, change: (d) => (d.publishers[0].id = "Contoso Ltd") },
  {
    rule: "publisher.displayName.blank",
    path: `${P}.displayName`,
    change: (d) => (d.publishers[0].displayName = "  "),
  },
  {
    rule: "publisher.displayName.length",
    path: `${P}.displayName`,
    change: (d) => (d.publishers[0].displayName = "x".repeat(101)),
  },
  {
    rule: "publisher.tenantId.format",
    path: `${TC}.tenantId`,
    change: (d) => (d.publishers[0].technicalConfiguration.tenantId = "contoso.onmicrosoft.com"),
  },
  {
    rule: "publisher.appId.format",
    path: `${TC}.appId`,
    change: (d) => (d.publishers[0].technicalConfiguration.appId = "1234"),
  },
  {
    rule: "publisher.landingPageUrl.absolute",
    path: `${TC}.landingPageUrl`,
    change: (d) => (d.publishers[0].technicalConfiguration.landingPageUrl = "/landing"),
  },
  {
    rule: "publisher.landingPageUrl.fragment",
    path: `${TC}.landingPageUrl`,
    change: (d) => (d.publishers[0].technicalConfiguration.landingPageUrl = "https://isv.example/#/landing"),
  },
  {
    rule: "publisher.landingPageUrl.placeholder",
    path: `${TC}.landingPageUrl`,
    change: (d) => (d.publishers[0].technicalConfiguration.landingPageUrl = `$${"{BASE_URL}"}/landing`),
  },
  {
    rule: "publisher.landingPageUrl.length",
    path: `${TC}.landingPageUrl`,
    change: (d) =>
      (d.publishers[0].technicalConfiguration.landingPageUrl = `https://isv.example/${"a".repeat(2048)}`),
  },
  {
    rule: "publisher.webhookUrl.absolute",
    path: `${TC}.webhookUrl`,
    change: (d) => (d.publishers[0].technicalConfiguration.webhookUrl = "ftp://isv.example/hook"),
  },
  {
    rule: "publisher.clientSecret.length",
    path: `${P}.credentials.clientSecrets[0]`,
    change: (d) => (d.publishers[0].credentials.clientSecrets = ["short"]),
  },
  {
    rule: "publisher.clientSecret.characters",
    path: `${P}.credentials.clientSecrets[0]`,
    change: (d) => (d.publishers[0].credentials.clientSecrets = ["a secret with spaces"]),
  },
  {
    rule: "publisher.clientSecret.duplicate",
    path: `${P}.credentials.clientSecrets[1]`,
    change: (d) => d.publishers[0].credentials.clientSecrets.push("contoso-secret-0123456789"),
  },
  {
    rule: "publisher.certificate.invalid",
    path: `${P}.credentials.certificates[0]`,
    change: (d) => (d.publishers[0].credentials.certificates = ["not a certificate"]),
  },
  {
    rule: "publisher.certificate.duplicate",
    path: `${P}.credentials.certificates[1]`,
    change: (d) => (d.publishers[0].credentials.certificates = [spki, spki]),
  },
  {
    rule: "publisher.id.duplicate",
    path: "publishers[1].id",
    change: (d) => d.publishers.push(publisher("contoso", ids.otherTenant, ids.otherApp)),
  },
  {
    rule: "publisher.app.duplicate",
    path: "publishers[1].technicalConfiguration.appId",
    change: (d) => d.publishers.push(publisher("adatum", ids.tenant.toUpperCase(), ids.app)),
  },
  // offer
  {
    rule: "offer.id.format",
    path: `${OFFER}.id`,
    change: (d) => (d.publishers[0].offers[0].id = "Analytics!"),
  },
  {
    rule: "offer.id.previewSuffix",
    path: `${OFFER}.id`,
    change: (d) => (d.publishers[0].offers[0].id = "analytics-preview"),
  },
  {
    rule: "offer.id.duplicate",
    path: `${CRM}.id`,
    change: (d) => (d.publishers[0].offers[1].id = "analytics"),
  },
  {
    rule: "offer.displayName.blank",
    path: `${OFFER}.displayName`,
    change: (d) => (d.publishers[0].offers[0].displayName = ""),
  },
  {
    rule: "offer.displayName.length",
    path: `${OFFER}.displayName`,
    change: (d) => (d.publishers[0].offers[0].displayName = "x".repeat(201)),
  },
  {
    rule: "offer.description.length",
    path: `${OFFER}.description`,
    change: (d) => (d.publishers[0].offers[0].description = "x".repeat(5001)),
  },
  {
    rule: "offer.plans.duplicateId",
    path: `${VIP}.id`,
    change: (d) => (d.publishers[0].offers[0].plans[1].id = "basic"),
  },
  {
    rule: "offer.plans.count",
    path: `${OFFER}.plans[100]`,
    change: (d) =>
      (d.publishers[0].offers[0].plans = many(101, (i) => ({
        ...flatRatePlan(`plan-${i}`),
        meteredDimensions: [],
      }))),
  },
  {
    rule: "offer.plans.privateCount",
    path: `${OFFER}.plans[45].private`,
    change: (d) => (d.publishers[0].offers[0].plans = many(46, (i) => privatePlan(`vip-${i}`))),
  },
  {
    rule: "offer.dimensions.count",
    path: `${VIP}.meteredDimensions[0].id`,
    change: (d) => {
      const dimension = d.publishers[0].offers[0].plans[0].meteredDimensions[0];
      d.publishers[0].offers[0].plans[0].meteredDimensions = many(30, (i) => ({
        ...dimension,
        id: `meter-${i}`,
      }));
      d.publishers[0].offers[0].plans[1].meteredDimensions = [
        { ...dimension, id: "meter-30", includedQuantity: {} },
      ];
    },
  },
  {
    rule: "offer.dimensions.unitOfMeasure",
    path: `${VIP}.meteredDimensions[0].unitOfMeasure`,
    change: (d) => {
      const dimension = d.publishers[0].offers[0].plans[0].meteredDimensions[0];
      d.publishers[0].offers[0].plans[1].meteredDimensions = [
        { ...dimension, unitOfMeasure: "call", includedQuantity: {} },
      ];
    },
  },
  // plan
  {
    rule: "plan.id.format",
    path: `${PLAN}.id`,
    change: (d) => (d.publishers[0].offers[0].plans[0].id = "Gold"),
  },
  {
    rule: "plan.displayName.blank",
    path: `${PLAN}.displayName`,
    change: (d) => (d.publishers[0].offers[0].plans[0].displayName = " "),
  },
  {
    rule: "plan.displayName.length",
    path: `${PLAN}.displayName`,
    change: (d) => (d.publishers[0].offers[0].plans[0].displayName = "x".repeat(51)),
  },
  {
    rule: "plan.description.length",
    path: `${PLAN}.description`,
    change: (d) => (d.publishers[0].offers[0].plans[0].description = "x".repeat(3001)),
  },
  {
    rule: "plan.audience.missing",
    path: `${VIP}.audience`,
    change: (d) => (d.publishers[0].offers[0].plans[1].audience = []),
  },
  {
    rule: "plan.audience.publicPlan",
    path: `${VIP}.audience`,
    change: (d) => (d.publishers[0].offers[0].plans[1].private = false),
  },
  {
    rule: "plan.audience.tenantId",
    path: `${VIP}.audience[0]`,
    change: (d) => (d.publishers[0].offers[0].plans[1].audience = ["fabrikam.com"]),
  },
  {
    rule: "plan.audience.duplicate",
    path: `${VIP}.audience[1]`,
    change: (d) => d.publishers[0].offers[0].plans[1].audience.push(ids.buyer.toUpperCase()),
  },
  {
    rule: "plan.audience.size",
    path: `${VIP}.audience`,
    change: (d) =>
      (d.publishers[0].offers[0].plans[1].audience = many(
        20_001,
        (i) => `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`,
      )),
  },
  {
    rule: "plan.seats.flatRate",
    path: `${PLAN}.seats`,
    change: (d) => (d.publishers[0].offers[0].plans[0].seats = { min: 1 }),
  },
  {
    rule: "plan.seats.min",
    path: `${SEATS_PLAN}.seats.min`,
    change: (d) => (d.publishers[0].offers[1].plans[0].seats.min = 0),
  },
  {
    rule: "plan.seats.max",
    path: `${SEATS_PLAN}.seats.max`,
    change: (d) => (d.publishers[0].offers[1].plans[0].seats.max = 1_000_001),
  },
  {
    rule: "plan.seats.order",
    path: `${SEATS_PLAN}.seats`,
    change: (d) => (d.publishers[0].offers[1].plans[0].seats = { min: 10, max: 5 }),
  },
  {
    rule: "plan.freeTrial.metered",
    path: `${PLAN}.freeTrial`,
    change: (d) => (d.publishers[0].offers[0].plans[0].freeTrial = true),
  },
  {
    rule: "plan.markets.empty",
    path: `${PLAN}.markets`,
    change: (d) => (d.publishers[0].offers[0].plans[0].markets = []),
  },
  {
    rule: "plan.markets.code",
    path: `${PLAN}.markets[1]`,
    change: (d) => (d.publishers[0].offers[0].plans[0].markets = ["US", "USA"]),
  },
  {
    rule: "plan.markets.duplicate",
    path: `${PLAN}.markets[1]`,
    change: (d) => (d.publishers[0].offers[0].plans[0].markets = ["DE", "de"]),
  },
  {
    rule: "plan.billingTerms.empty",
    path: `${SEATS_PLAN}.billingTerms`,
    change: (d) => (d.publishers[0].offers[1].plans[0].billingTerms = []),
  },
  {
    rule: "plan.billingTerms.duplicateTerm",
    path: `${SEATS_PLAN}.billingTerms[1].termUnit`,
    change: (d) => d.publishers[0].offers[1].plans[0].billingTerms.push({ termUnit: "P1M", price: "1.00" }),
  },
  {
    rule: "plan.billingTerms.extendedTerm",
    path: `${SEATS_PLAN}.billingTerms[0].termUnit`,
    change: (d) => (d.publishers[0].offers[1].plans[0].billingTerms[0].termUnit = "P5Y"),
  },
  {
    rule: "plan.billingTerms.price",
    path: `${PLAN}.billingTerms[0].price`,
    change: (d) => (d.publishers[0].offers[0].plans[0].billingTerms[0].price = "9.999"),
  },
  {
    rule: "plan.billingTerms.currency",
    path: `${PLAN}.billingTerms[0].currency`,
    change: (d) => (d.publishers[0].offers[0].plans[0].billingTerms[0].currency = "US$"),
  },
  {
    rule: "plan.billingTerms.paymentOption",
    path: `${PLAN}.billingTerms[0].paymentOption`,
    change: (d) => (d.publishers[0].offers[0].plans[0].billingTerms[0].paymentOption = "monthly"),
  },
  {
    rule: "plan.currency.mixed",
    path: `${PLAN}.billingTerms[1].currency`,
    change: (d) => (d.publishers[0].offers[0].plans[0].billingTerms[1].currency = "EUR"),
  },
  {
    rule: "plan.dimensions.perUser",
    path: `${SEATS_PLAN}.meteredDimensions`,
    change: (d) => (d.publishers[0].offers[1].plans[0].meteredDimensions = flatRatePlan().meteredDimensions),
  },
  {
    rule: "plan.dimensions.id",
    path: `${PLAN}.meteredDimensions[0].id`,
    change: (d) => (d.publishers[0].offers[0].plans[0].meteredDimensions[0].id = "API calls"),
  },
  {
    rule: "plan.dimensions.duplicate",
    path: `${PLAN}.meteredDimensions[1].id`,
    change: (d) =>
      d.publishers[0].offers[0].plans[0].meteredDimensions.push({
        ...d.publishers[0].offers[0].plans[0].meteredDimensions[0],
      }),
  },
  {
    rule: "plan.dimensions.displayName.blank",
    path: `${PLAN}.meteredDimensions[0].displayName`,
    change: (d) => (d.publishers[0].offers[0].plans[0].meteredDimensions[0].displayName = ""),
  },
  {
    rule: "plan.dimensions.unitOfMeasure.length",
    path: `${PLAN}.meteredDimensions[0].unitOfMeasure`,
    change: (d) => (d.publishers[0].offers[0].plans[0].meteredDimensions[0].unitOfMeasure = "u".repeat(51)),
  },
  {
    rule: "plan.dimensions.pricePerUnit",
    path: `${PLAN}.meteredDimensions[0].pricePerUnit`,
    change: (d) => (d.publishers[0].offers[0].plans[0].meteredDimensions[0].pricePerUnit = -1),
  },
  {
    rule: "plan.dimensions.currency",
    path: `${PLAN}.meteredDimensions[0].currency`,
    change: (d) => (d.publishers[0].offers[0].plans[0].meteredDimensions[0].currency = "DOLLAR"),
  },
  {
    rule: "plan.dimensions.includedQuantity.term",
    path: `${PLAN}.meteredDimensions[0].includedQuantity.P2Y`,
    change: (d) => (d.publishers[0].offers[0].plans[0].meteredDimensions[0].includedQuantity.P2Y = "5"),
  },
  {
    rule: "plan.dimensions.includedQuantity.value",
    path: `${PLAN}.meteredDimensions[0].includedQuantity.P1M`,
    change: (d) => (d.publishers[0].offers[0].plans[0].meteredDimensions[0].includedQuantity.P1M = "lots"),
  },
];

describe("catalog rules", () => {
  it("accepts the valid base catalog", () => {
    expect(validateCatalogDocument(validCatalog()).issues).toEqual([]);
  });

  it.each(rows)("$rule at $path", ({ rule, path, change }) => {
    const document = validCatalog();
    change(document);
    const { catalog, issues } = validateCatalogDocument(document);
    expect(catalog).toBeUndefined();
    expect(issues.map((found) => `${found.path} ${found.rule}`)).toEqual([`${path} ${rule}`]);
    expect(issues[0]?.message).toMatch(/^[^\n]{10,}$/);
  });

  it("collects every problem of a document, wherever it is", () => {
    const document = validCatalog();
    document.publishers[0].technicalConfiguration.tenantId = "nope";
    document.publishers[0].offers[0].plans[0].billingTerms[0].paymentOption = "annual";
    document.publishers[0].offers[1].plans[0].seats = "many";
    document.publishers.push({ id: "adatum" });
    const { issues } = validateCatalogDocument(document);
    expect(issues.map((found) => found.path).sort()).toEqual(
      [
        `${TC}.tenantId`,
        `${PLAN}.billingTerms[0].paymentOption`,
        `${SEATS_PLAN}.seats`,
        "publishers[1].technicalConfiguration",
      ].sort(),
    );
  });

  it("still checks the rest of an offer whose own fields are malformed", () => {
    const document = validCatalog();
    document.publishers[0].offers[0].pricingModel = 42;
    document.publishers[0].offers[0].plans[0].id = "BAD";
    const rules = validateCatalogDocument(document).issues.map((found) => found.rule);
    expect(rules).toEqual(["structure.type", "plan.id.format"]);
  });

  it.each([
    [
      "P4Y and P5Y with allowExtendedTerms",
      (d: RawDocument) => {
        d.publishers[0].offers[1].plans[0].allowExtendedTerms = true;
        d.publishers[0].offers[1].plans[0].billingTerms = [
          { termUnit: "P4Y", price: "1.00", paymentOption: "annual" },
          { termUnit: "P5Y", price: "1.00", paymentOption: "monthly" },
        ];
      },
    ],
    [
      "prices as numbers and as strings with trailing zeros",
      (d: RawDocument) => {
        d.publishers[0].offers[0].plans[0].billingTerms[0].price = 49.9;
        d.publishers[0].offers[0].plans[0].billingTerms[1].price = "100.000";
      },
    ],
    [
      "lowercase market and currency codes",
      (d: RawDocument) => {
        d.publishers[0].offers[0].plans[0].markets = ["us", "de"];
        d.publishers[0].offers[0].plans[0].billingTerms[0].currency = "usd";
      },
    ],
    ["an empty catalog", (d: RawDocument) => (d.publishers = [])],
    ["an offer without plans", (d: RawDocument) => (d.publishers[0].offers[1].plans = [])],
    [
      "a per-user plan without seat limits",
      (d: RawDocument) => delete d.publishers[0].offers[1].plans[0].seats,
    ],
    [
      "exactly 100 plans, 45 private and 30 dimensions",
      (d: RawDocument) => {
        const dimension = flatRatePlan().meteredDimensions[0];
        d.publishers[0].offers[0].plans = [
          {
            ...flatRatePlan("metered"),
            meteredDimensions: many(30, (i) => ({ ...dimension, id: `meter-${i}` })),
          },
          ...many(45, (i) => privatePlan(`vip-${i}`)),
          ...many(54, (i) => ({ ...flatRatePlan(`plan-${i}`), meteredDimensions: [] })),
        ];
      },
    ],
    [
      "a public key and a second publisher",
      (d: RawDocument) => {
        d.publishers[0].credentials.certificates = [spki];
        d.publishers.push(publisher("adatum", ids.otherTenant, ids.otherApp));
      },
    ],
    [
      "the same app id in another tenant",
      (d: RawDocument) => d.publishers.push(publisher("adatum", ids.otherTenant, ids.app)),
    ],
  ])("accepts %s", (_name, change) => {
    const document = validCatalog();
    change(document);
    expect(validateCatalogDocument(document).issues).toEqual([]);
  });

  it("words problems plainly, with the allowed values", () => {
    const document = validCatalog();
    document.publishers[0].offers[0].plans[0].billingTerms[0].paymentOption = "annual";
    document.publishers[0].offers[0].pricingModel = "tiered";
    document.publishers[0].offers[1].plans[0].seats.min = 0;
    const messages = validateCatalogDocument(document).issues.map((found) => found.message);
    expect(messages).toContain('must be one of flatRate, perUser, but is the text "tiered"');
    expect(messages).toContain("payment option annual is not available for a P1M term (allowed: upfront)");
    expect(messages).toContain("the minimum number of seats must be between 1 and 1,000,000");
  });

  it("rejects private keys and small RSA keys as certificates", () => {
    const document = validCatalog();
    document.publishers[0].credentials.certificates = [
      "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
      rsaPublicKeyPem(1024),
    ];
    const messages = validateCatalogDocument(document).issues.map((found) => found.message);
    expect(messages).toEqual([
      "certificate is a private key; give only the certificate or the public key",
      "certificate must hold an RSA key of at least 2048 bits (is 1024)",
    ]);
  });
});
