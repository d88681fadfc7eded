/** Who a console session acts as. */
export type PersonaKind = "buyer" | "reseller" | "publisher" | "operator";

export interface Persona {
  kind: PersonaKind;
  /** What the console shows as the signed-in person. */
  displayName: string;
  /** Buyers and resellers: their tenant (lowercase GUID). */
  tenantId?: string | undefined;
  /** Buyers and resellers: the user their buyer tokens name. */
  user?: { objectId: string; email: string } | undefined;
  /** Publishers: the publisher the session acts for. */
  publisherId?: string | undefined;
}

/** Personas that shop in the storefront (a reseller shops for its customers). */
export function isShopper(persona: Persona): persona is Persona & {
  tenantId: string;
  user: { objectId: string; email: string };
} {
  return (persona.kind === "buyer" || persona.kind === "reseller") && !!persona.tenantId && !!persona.user;
}

export const personaKindLabels: Record<PersonaKind, string> = {
  buyer: "Buyer",
  reseller: "Reseller",
  publisher: "Publisher",
  operator: "Operator",
};
