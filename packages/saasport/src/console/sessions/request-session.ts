import type { FastifyReply, FastifyRequest } from "fastify";
import type { ConsoleDeps } from "../deps.js";
import type { SignedIn } from "../pages/layout.js";
import { cookieHeader, parseCookies, reachedOverHttps, sessionCookieName } from "./cookies.js";
import type { ConsoleSession } from "./session-store.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The console session the request's cookie names (set by the console's onRequest hook). */
    consoleSession?: ConsoleSession | undefined;
  }
}

export function sessionIdOf(request: FastifyRequest): string | undefined {
  return parseCookies(request.headers.cookie).get(sessionCookieName);
}

/** onRequest hook of the console's pages: finds the session the cookie names, if it is still live. */
export function sessionLoader(deps: Pick<ConsoleDeps, "sessions" | "clock">) {
  return async (request: FastifyRequest): Promise<void> => {
    const id = sessionIdOf(request);
    request.consoleSession = id ? await deps.sessions.find(id, deps.clock.now()) : undefined;
  };
}

export function signedInOf(request: FastifyRequest): SignedIn | undefined {
  const session = request.consoleSession;
  return session && { persona: session.persona, csrfToken: session.csrfToken };
}

export function setSessionCookie(
  reply: FastifyReply,
  deps: Pick<ConsoleDeps, "settings" | "clock">,
  id: string,
  session: ConsoleSession,
): void {
  reply.header(
    "set-cookie",
    cookieHeader(sessionCookieName, id, {
      maxAgeSeconds: (session.expiresAt.getTime() - deps.clock.now().getTime()) / 1000,
      secure: reachedOverHttps(reply.request, deps.settings),
    }),
  );
}

export function clearSessionCookie(reply: FastifyReply, deps: Pick<ConsoleDeps, "settings">): void {
  reply.header(
    "set-cookie",
    cookieHeader(sessionCookieName, "", {
      maxAgeSeconds: 0,
      secure: reachedOverHttps(reply.request, deps.settings),
    }),
  );
}

/** Where to go back to after signing in: only a console page of this server. */
export function safeNext(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > 500) return undefined;
  if (!/^\/console\/[A-Za-z0-9\-._~/%?=&]*$/.test(value) || value.includes("//")) return undefined;
  if (value.startsWith("/console/sign-")) return undefined;
  return value;
}

/** The sign-in page, remembering the page the visitor wanted. */
export function signInUrl(request: FastifyRequest): string {
  const wanted = request.method === "GET" ? safeNext(request.url) : undefined;
  return wanted ? `/console/sign-in?next=${encodeURIComponent(wanted)}` : "/console/sign-in";
}
