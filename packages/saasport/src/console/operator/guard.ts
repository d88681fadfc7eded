import type { FastifyReply, FastifyRequest } from "fastify";
import { formField } from "../forms.js";
import { messagePage, type SignedIn } from "../pages/layout.js";
import { seeOther, sendPage } from "../responses.js";
import { csrfField, sameToken } from "../sessions/csrf.js";
import type { Persona } from "../sessions/persona.js";
import { signedInOf, signInUrl } from "../sessions/request-session.js";
import { refuseForm } from "../store/guard.js";

/**
 * preHandler of the operator console: the operator persona only (others are sent to sign in, or
 * refused), and every POST must carry the session's anti-forgery token.
 */
export function operatorGuard() {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const session = request.consoleSession;
    if (!session) return seeOther(reply, signInUrl(request));
    if (session.persona.kind !== "operator") {
      return sendPage(
        reply,
        403,
        messagePage(
          { title: "The operator console is for the operator", signedIn: signedInOf(request) },
          "problem",
          "You are signed in as a buyer, a reseller or a publisher. Sign in as the marketplace operator to run the marketplace.",
          { href: "/console/sign-in", label: "Sign in as someone else" },
        ),
      );
    }
    if (request.method === "POST" && !sameToken(formField(request.body, csrfField), session.csrfToken)) {
      return refuseForm(request, reply);
    }
    return undefined;
  };
}

/** The signed-in operator of an operator-console request (after the guard). */
export function operatorOf(request: FastifyRequest): { persona: Persona; signedIn: SignedIn } {
  const signedIn = signedInOf(request);
  if (signedIn?.persona.kind !== "operator") {
    throw new Error("operatorOf() outside the operator guard");
  }
  return { persona: signedIn.persona, signedIn };
}
