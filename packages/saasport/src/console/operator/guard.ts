import type { FastifyRequest } from "fastify";
import type { SignedIn } from "../pages/layout.js";
import { areaGuard } from "../sessions/area-guard.js";
import type { Persona } from "../sessions/persona.js";
import { signedInOf } from "../sessions/request-session.js";

/** preHandler of the operator console: the operator persona only. */
export function operatorGuard() {
  return areaGuard({
    admits: (persona) => persona.kind === "operator",
    refusal: {
      title: "The operator console is for the operator",
      text: "You are signed in as a buyer, a reseller or a publisher. Sign in as the marketplace operator to run the marketplace.",
    },
  });
}

/** The signed-in operator of an operator-console request (after the guard). */
export function operatorOf(request: FastifyRequest): { persona: Persona; signedIn: SignedIn } {
  const signedIn = signedInOf(request);
  if (signedIn?.persona.kind !== "operator") {
    throw new Error("operatorOf() outside the operator guard");
  }
  return { persona: signedIn.persona, signedIn };
}
