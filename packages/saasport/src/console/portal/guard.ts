import type { FastifyRequest } from "fastify";
import type { SignedIn } from "../pages/layout.js";
import { areaGuard } from "../sessions/area-guard.js";
import type { Persona } from "../sessions/persona.js";
import { signedInOf } from "../sessions/request-session.js";

export type Publisher = Persona & { kind: "publisher"; publisherId: string };

function isPublisher(persona: Persona): persona is Publisher {
  return persona.kind === "publisher" && !!persona.publisherId;
}

/** preHandler of the portal: a signed-in publisher only. */
export function publisherGuard() {
  return areaGuard({
    admits: isPublisher,
    refusal: {
      title: "The portal is for publishers",
      text: "You are not signed in as a publisher. Sign in as a publisher to see its offers, subscriptions and revenue.",
    },
  });
}

/** The signed-in publisher of a portal request (after the guard). */
export function publisherOf(request: FastifyRequest): { persona: Publisher; signedIn: SignedIn } {
  const signedIn = signedInOf(request);
  if (!signedIn || !isPublisher(signedIn.persona)) throw new Error("publisherOf() outside the portal guard");
  return { persona: signedIn.persona, signedIn };
}
