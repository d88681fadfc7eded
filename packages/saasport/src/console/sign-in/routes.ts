import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ConsoleDeps } from "../deps.js";
import { formBodyLimit, formField, trimmedField } from "../forms.js";
import { messagePage } from "../pages/layout.js";
import { type SignInView, signInPage } from "../pages/sign-in-page.js";
import { seeOther, sendPage } from "../responses.js";
import { cookieHeader, parseCookies, reachedOverHttps, signInCookieName } from "../sessions/cookies.js";
import { csrfField, sameToken } from "../sessions/csrf.js";
import { isShopper, type Persona } from "../sessions/persona.js";
import {
  clearSessionCookie,
  safeNext,
  sessionIdOf,
  setSessionCookie,
  signedInOf,
} from "../sessions/request-session.js";
import { personaPickerAllowed } from "./demo-mode.js";
import { createFailedSignIns, tooManyFailuresMessage } from "./failed-sign-ins.js";
import { type DemoPersona, demoPersonas } from "./personas.js";

const signInCookieSeconds = 8 * 3600;

/** Where a persona starts: shoppers in the storefront, everyone else on the console's home. */
export function homeOf(persona: Persona): string {
  if (isShopper(persona)) return "/console/store";
  return persona.kind === "publisher" ? "/console/portal" : "/console/operator";
}

/**
 * Sign-in and sign-out. The sign-in forms are posted before a session exists, so they are protected
 * with a double-submit value: a random value in an HttpOnly, SameSite=Strict cookie that the form
 * must repeat. Signing in always starts a new session (a new id), so a planted cookie is useless.
 */
export function registerSignInRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  const failedSignIns = createFailedSignIns(deps.settings.authFailures, deps.clock);

  async function personasOrNote(): Promise<Pick<SignInView, "personas" | "pickerNote">> {
    const demo = await deps.isDemo();
    if (!personaPickerAllowed(deps.settings, demo)) {
      return demo
        ? {
            pickerNote:
              "Demo personas are offered only when Saasport listens on a loopback address (127.0.0.1) and no public URL points elsewhere. Sign in with credentials.",
          }
        : {};
    }
    return { personas: await availablePersonas() };
  }

  async function availablePersonas(): Promise<DemoPersona[]> {
    const answer = await deps.api.call<{ publishers: { id: string; displayName: string }[] }>(
      { kind: "operator", displayName: "console" },
      "GET",
      "/operator/v1/publishers",
    );
    return demoPersonas(answer.body.publishers);
  }

  /** The sign-in forms' anti-forgery value, set in a cookie the first time the page is shown. */
  function signInToken(request: FastifyRequest, reply: FastifyReply): string {
    const existing = parseCookies(request.headers.cookie).get(signInCookieName);
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
    const token = randomBytes(32).toString("base64url");
    reply.header(
      "set-cookie",
      cookieHeader(signInCookieName, token, {
        maxAgeSeconds: signInCookieSeconds,
        secure: reachedOverHttps(request, deps.settings),
        path: "/console/sign-in",
        sameSite: "Strict",
      }),
    );
    return token;
  }

  async function showSignIn(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    extra: Partial<SignInView> = {},
  ) {
    const query = request.query as Record<string, unknown>;
    const next = safeNext(formField(request.body, "next") ?? query.next);
    return sendPage(
      reply,
      status,
      signInPage({
        csrf: signInToken(request, reply),
        next,
        signedIn: signedInOf(request),
        signedOut: query["signed-out"] === "1",
        ...(await personasOrNote()),
        ...extra,
      }),
    );
  }

  /** The sign-in forms must repeat the sign-in cookie's value. */
  function signInFormValid(request: FastifyRequest): boolean {
    const cookie = parseCookies(request.headers.cookie).get(signInCookieName);
    return sameToken(formField(request.body, csrfField), cookie);
  }

  function refuseSignInForm(reply: FastifyReply) {
    return sendPage(
      reply,
      403,
      messagePage(
        { title: "This form has expired" },
        "problem",
        "The sign-in form was not sent from this server's sign-in page, or the page is too old.",
        { href: "/console/sign-in", label: "Open the sign-in page again" },
      ),
    );
  }

  /** While the address is locked out, the form is answered 429 without looking at its credentials. */
  async function refuseLockedOut(
    request: FastifyRequest,
    reply: FastifyReply,
    form: "operator" | "publisher",
    extra: Partial<SignInView> = {},
  ) {
    const seconds = failedSignIns.waitSeconds(request.ip);
    if (seconds === 0) return undefined;
    reply.header("retry-after", String(seconds));
    const message = tooManyFailuresMessage(seconds);
    return showSignIn(request, reply, 429, { failed: { form, message, errors: {} }, ...extra });
  }

  async function startSession(request: FastifyRequest, reply: FastifyReply, persona: Persona) {
    const previous = sessionIdOf(request);
    if (previous) await deps.sessions.remove(previous);
    const { id, session } = await deps.sessions.create(persona, deps.clock.now());
    setSessionCookie(reply, deps, id, session);
    return seeOther(reply, safeNext(formField(request.body, "next")) ?? homeOf(persona));
  }

  app.get("/sign-in", async (request, reply) => showSignIn(request, reply, 200));

  app.post("/sign-in/persona", { bodyLimit: formBodyLimit }, async (request, reply) => {
    if (!signInFormValid(request)) return refuseSignInForm(reply);
    const { personas } = await personasOrNote();
    const chosen = personas?.find((choice) => choice.id === formField(request.body, "persona"));
    if (!chosen) {
      return sendPage(
        reply,
        403,
        messagePage(
          { title: "No such persona" },
          "problem",
          "Demo personas are offered only by a server that runs the demo catalog on a loopback address.",
          { href: "/console/sign-in", label: "Back to sign-in" },
        ),
      );
    }
    return startSession(request, reply, chosen.persona);
  });

  app.post("/sign-in/operator", { bodyLimit: formBodyLimit }, async (request, reply) => {
    if (!signInFormValid(request)) return refuseSignInForm(reply);
    const lockedOut = await refuseLockedOut(request, reply, "operator");
    if (lockedOut) return lockedOut;
    const key = formField(request.body, "operatorKey") ?? "";
    if (!deps.credentials.isOperatorKey(key.trim())) {
      if (key.trim() !== "") failedSignIns.record(request.ip);
      const message = key.trim() === "" ? "Enter the operator key." : "That is not the operator key.";
      return showSignIn(request, reply, 401, {
        failed: { form: "operator", message, errors: { operatorKey: message } },
      });
    }
    return startSession(request, reply, { kind: "operator", displayName: "The operator" });
  });

  app.post("/sign-in/publisher", { bodyLimit: formBodyLimit }, async (request, reply) => {
    if (!signInFormValid(request)) return refuseSignInForm(reply);
    const tenantId = trimmedField(request.body, "tenantId");
    const clientId = trimmedField(request.body, "clientId");
    const clientSecret = formField(request.body, "clientSecret") ?? "";
    const lockedOut = await refuseLockedOut(request, reply, "publisher", {
      publisherValues: { tenantId, clientId },
    });
    if (lockedOut) return lockedOut;
    const publisher = await deps.credentials.publisher({
      tenantId,
      clientId,
      clientSecret,
      now: deps.clock.now(),
    });
    if (!publisher) {
      if (clientSecret !== "") failedSignIns.record(request.ip);
      const message = "These credentials do not match a publisher's app registration.";
      return showSignIn(request, reply, 401, {
        failed: { form: "publisher", message, errors: {} },
        publisherValues: { tenantId, clientId },
      });
    }
    return startSession(request, reply, {
      kind: "publisher",
      displayName: publisher.displayName,
      publisherId: publisher.publisherId,
    });
  });

  app.post("/sign-out", { bodyLimit: formBodyLimit }, async (request, reply) => {
    const session = request.consoleSession;
    const id = sessionIdOf(request);
    // Without a live session there is nothing to end; with one, the form must carry its token.
    if (session && id) {
      if (!sameToken(formField(request.body, csrfField), session.csrfToken)) {
        return sendPage(
          reply,
          403,
          messagePage(
            { title: "This form has expired", signedIn: signedInOf(request) },
            "problem",
            "The form was not sent from a page of this session. Reload the page and try again.",
          ),
        );
      }
      await deps.sessions.remove(id);
    }
    clearSessionCookie(reply, deps);
    return seeOther(reply, "/console/sign-in?signed-out=1");
  });
}
