import type { FastifyReply, FastifyRequest } from "fastify";
import { formField } from "../forms.js";
import { messagePage, type SignedIn } from "../pages/layout.js";
import { seeOther, sendPage } from "../responses.js";
import { csrfField, sameToken } from "../sessions/csrf.js";
import type { Persona } from "../sessions/persona.js";
import { signedInOf, signInUrl } from "../sessions/request-session.js";
import { refuseForm } from "../store/guard.js";

export type Publisher = Persona & { kind: "publisher"; publisherId: string };

function isPublisher(persona: Persona): persona is Publisher {
  return persona.kind === "publisher" && !!persona.publisherId;
}

/**
 * preHandler of the portal: a signed-in publisher only (others are sent to sign in, or refused), and
 * every POST must carry the session's anti-forgery token.
 */
export function publisherGuard() {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const session = request.consoleSession;
    if (!session) return seeOther(reply, signInUrl(request));
    if (!isPublisher(session.persona)) {
      return sendPage(
        reply,
        403,
        messagePage(
          { title: "The portal is for publishers", signedIn: signedInOf(request) },
          "problem",
          "You are not signed in as a publisher. Sign in as a publisher to see its offers, subscriptions and revenue.",
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

/** The signed-in publisher of a portal request (after the guard). */
export function publisherOf(request: FastifyRequest): { persona: Publisher; signedIn: SignedIn } {
  const signedIn = signedInOf(request);
  if (!signedIn || !isPublisher(signedIn.persona)) throw new Error("publisherOf() outside the portal guard");
  return { persona: signedIn.persona, signedIn };
}
