import type { FastifyReply, FastifyRequest } from "fastify";
import { formField } from "../forms.js";
import { messagePage, type NavKey } from "../pages/layout.js";
import { seeOther, sendPage } from "../responses.js";
import { csrfField, sameToken } from "./csrf.js";
import type { Persona } from "./persona.js";
import { signedInOf, signInUrl } from "./request-session.js";

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

/** One area of the console (the storefront, the portal, the operator pages) and who may enter it. */
export interface ConsoleArea {
  admits(persona: Persona): boolean;
  /** The 403 page for a signed-in persona the area does not admit. */
  refusal: { title: string; text: string; current?: NavKey };
}

/**
 * preHandler of a console area: visitors are sent to sign in, personas the area does not admit are
 * refused, and every POST must carry the session's anti-forgery token.
 */
export function areaGuard(area: ConsoleArea) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const session = request.consoleSession;
    if (!session) return seeOther(reply, signInUrl(request));
    if (!area.admits(session.persona)) {
      return sendPage(
        reply,
        403,
        messagePage(
          { title: area.refusal.title, signedIn: signedInOf(request), current: area.refusal.current },
          "problem",
          area.refusal.text,
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
