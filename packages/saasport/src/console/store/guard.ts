import type { FastifyRequest } from "fastify";
import type { SignedIn } from "../pages/layout.js";
import { areaGuard } from "../sessions/area-guard.js";
import { isShopper, type Persona } from "../sessions/persona.js";
import { signedInOf } from "../sessions/request-session.js";

export type Shopper = Persona & { tenantId: string; user: { objectId: string; email: string } };

/** preHandler of the storefront: a signed-in buyer or reseller only. */
export function shopperGuard() {
  return areaGuard({
    admits: isShopper,
    refusal: {
      title: "The storefront is for buyers",
      text: "You are signed in as a publisher or the operator. Sign in as a buyer or a reseller to shop.",
      current: "store",
    },
  });
}

/** The signed-in shopper of a storefront request (after the guard). */
export function shopperOf(request: FastifyRequest): { persona: Shopper; signedIn: SignedIn } {
  const signedIn = signedInOf(request);
  if (!signedIn || !isShopper(signedIn.persona)) throw new Error("shopperOf() outside the storefront guard");
  return { persona: signedIn.persona, signedIn };
}
