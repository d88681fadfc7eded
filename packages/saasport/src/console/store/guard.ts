import type { FastifyReply, FastifyRequest } from "fastify";
import { formField } from "../forms.js";
import { messagePage, type SignedIn } from "../pages/layout.js";
import { seeOther, sendPage } from "../responses.js";
import { csrfField, sameToken } from "../sessions/csrf.js";
import { isShopper, type Persona } from "../sessions/persona.js";
import { signedInOf, signInUrl } from "../sessions/request-session.js";

export type Shopper = Persona & { tenantId: string; user: { objectId: string; email: string } };

/** Refuses a form post whose anti-forgery token is missing or wrong (403). */
export function refuseForm(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendPage(
    reply,
    403,
    messagePage(
      { title: "This form has expired", signedIn: signedInOf(request) },
      "problem",
      "The form was not sent from a page of your current sign-in, so nothing was changed. Go back, reload the page and try again.",
    ),
  );
}

/**
 * preHandler of the storefront: a signed-in buyer or reseller only (others are sent to sign in, or
 * refused), and every POST must carry the session's anti-forgery token.
 */
export function shopperGuard() {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const session = request.consoleSession;
    if (!session) return seeOther(reply, signInUrl(request));
    if (!isShopper(session.persona)) {
      return sendPage(
        reply,
        403,
        messagePage(
          { title: "The storefront is for buyers", signedIn: signedInOf(request), current: "store" },
          "problem",
          "You are signed in as a publisher or the operator. Sign in as a buyer or a reseller to shop.",
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

/** The signed-in shopper of a storefront request (after the guard). */
export function shopperOf(request: FastifyRequest): { persona: Shopper; signedIn: SignedIn } {
  const signedIn = signedInOf(request);
  if (!signedIn || !isShopper(signedIn.persona)) throw new Error("shopperOf() outside the storefront guard");
  return { persona: signedIn.persona, signedIn };
}
