import type { Persona } from "../sessions/persona.js";

/**
 * The tenants of the demo personas. Fabrikam is the demo catalog's buyer (the audience of Contoso's
 * private plan `fabrikam-enterprise`, catalogs/demo.yaml); Woodgrove is a buyer in no audience, to see
 * what others see; Northwind is a reseller that buys for its customers.
 */
export const demoTenants = {
  fabrikam: "33333333-3333-3333-3333-333333333333",
  woodgrove: "44444444-4444-4444-4444-444444444444",
  northwind: "55555555-5555-5555-5555-555555555555",
} as const;

export interface DemoPersona {
  id: string;
  persona: Persona;
  description: string;
}

const shoppers: DemoPersona[] = [
  {
    id: "buyer-fabrikam",
    persona: {
      kind: "buyer",
      displayName: "Ada at Fabrikam",
      tenantId: demoTenants.fabrikam,
      user: { objectId: "a0a0a0a0-0000-4000-8000-000000000001", email: "ada@fabrikam.example" },
    },
    description: `A buyer in Fabrikam's tenant (${demoTenants.fabrikam}): sees Contoso's private plan for Fabrikam.`,
  },
  {
    id: "buyer-woodgrove",
    persona: {
      kind: "buyer",
      displayName: "Grace at Woodgrove Bank",
      tenantId: demoTenants.woodgrove,
      user: { objectId: "a0a0a0a0-0000-4000-8000-000000000002", email: "grace@woodgrove.example" },
    },
    description: `A buyer in Woodgrove Bank's tenant (${demoTenants.woodgrove}): public plans only.`,
  },
  {
    id: "reseller-northwind",
    persona: {
      kind: "reseller",
      displayName: "Linus at Northwind Traders",
      tenantId: demoTenants.northwind,
      user: { objectId: "a0a0a0a0-0000-4000-8000-000000000003", email: "linus@northwind.example" },
    },
    description: `A reseller (tenant ${demoTenants.northwind}) that buys for its customers' tenants and manages what it bought.`,
  },
];

const operator: DemoPersona = {
  id: "operator",
  persona: { kind: "operator", displayName: "Marketplace operator" },
  description: "Runs the marketplace: publishers, the clock, billing, faults.",
};

/** Every demo persona: the buyers and the reseller, each publisher of the catalog, the operator. */
export function demoPersonas(publishers: readonly { id: string; displayName: string }[]): DemoPersona[] {
  return [
    ...shoppers,
    ...publishers.map((publisher) => ({
      id: `publisher-${publisher.id}`,
      persona: { kind: "publisher" as const, displayName: publisher.displayName, publisherId: publisher.id },
      description: `The publisher ${publisher.id}: its offers, private offers, webhooks and payouts.`,
    })),
    operator,
  ];
}
