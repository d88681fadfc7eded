import type { FastifyInstance } from "fastify";
import type { Clock } from "../clock/clock.js";
import { publisherIdHeader } from "../http/partner-auth.js";
import type { Persona } from "./sessions/persona.js";

/**
 * The console calls Saasport's own JSON APIs in-process (`app.inject`) with the signed-in persona's
 * credentials, so every rule, validation and error of the APIs applies unchanged: the console adds no
 * business logic of its own.
 */
export interface ConsoleApi {
  /** A JSON call; throws ApiCallError for any answer of 400 or more. */
  call<T>(persona: Persona, method: Method, path: string, body?: unknown): Promise<ApiAnswer<T>>;
  /** A call whose answer is passed through as it is (CSV downloads). */
  raw(persona: Persona, path: string): Promise<RawAnswer>;
}

export type Method = "GET" | "POST" | "PATCH" | "DELETE";

export interface ApiAnswer<T> {
  status: number;
  body: T;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/** An API answered 4xx or 5xx: its error code, message and the field it names (`target`). */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target?: string,
    /** The API's per-field problems (`error.details`), when it reports several at once. */
    readonly details: readonly { message: string; target?: string }[] = [],
  ) {
    super(message);
    this.name = "ApiCallError";
  }
}

export interface ConsoleApiDeps {
  app: FastifyInstance;
  operatorKey: string;
  /** Real time: buyer tokens are renewed before they expire. */
  clock: Clock;
}

interface CachedToken {
  token: string;
  expiresAtMs: number;
}

/** Buyer tokens are reused until five minutes before they expire. */
const tokenRenewalMarginMs = 5 * 60_000;
const maxCachedTokens = 1000;

export function createConsoleApi(deps: ConsoleApiDeps): ConsoleApi {
  const tokens = new Map<string, CachedToken>();

  async function inject(method: Method, path: string, headers: Record<string, string>, body?: unknown) {
    return deps.app.inject({
      method,
      url: path,
      headers: {
        ...headers,
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  }

  /** A buyer token for the persona's tenant and user, issued the way the operator issues one. */
  async function buyerToken(persona: Persona, fresh: boolean): Promise<string> {
    if (!persona.tenantId || !persona.user) throw new Error("a buyer persona without tenant or user");
    const key = `${persona.tenantId}|${persona.user.objectId}|${persona.user.email}`;
    const now = deps.clock.now().getTime();
    const cached = tokens.get(key);
    if (!fresh && cached && cached.expiresAtMs - tokenRenewalMarginMs > now) return cached.token;
    const answer = await inject(
      "POST",
      "/operator/v1/buyer-tokens",
      { authorization: `Bearer ${deps.operatorKey}` },
      { tenantId: persona.tenantId, objectId: persona.user.objectId, emailId: persona.user.email },
    );
    if (answer.statusCode !== 201) throw errorOf(answer.statusCode, answer.body);
    const issued = JSON.parse(answer.body) as { access_token: string; expires_in: number };
    if (tokens.size >= maxCachedTokens) tokens.clear();
    tokens.set(key, { token: issued.access_token, expiresAtMs: now + issued.expires_in * 1000 });
    return issued.access_token;
  }

  async function credentials(persona: Persona, fresh: boolean): Promise<Record<string, string>> {
    switch (persona.kind) {
      case "buyer":
      case "reseller":
        return { authorization: `Bearer ${await buyerToken(persona, fresh)}` };
      case "publisher":
        return {
          authorization: `Bearer ${deps.operatorKey}`,
          [publisherIdHeader]: persona.publisherId ?? "",
        };
      case "operator":
        return { authorization: `Bearer ${deps.operatorKey}` };
    }
  }

  async function send(persona: Persona, method: Method, path: string, body?: unknown) {
    const answer = await inject(method, path, await credentials(persona, false), body);
    // A signing-key rotation in another process can leave a cached buyer token unverifiable: renew once.
    if (answer.statusCode === 401 && persona.kind !== "operator" && persona.kind !== "publisher") {
      return inject(method, path, await credentials(persona, true), body);
    }
    return answer;
  }

  return {
    async call<T>(persona: Persona, method: Method, path: string, body?: unknown) {
      const answer = await send(persona, method, path, body);
      if (answer.statusCode >= 400) throw errorOf(answer.statusCode, answer.body);
      const text = answer.body;
      return { status: answer.statusCode, body: (text === "" ? {} : JSON.parse(text)) as T };
    },
    async raw(persona, path) {
      const answer = await send(persona, "GET", path);
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        headers[name] = Array.isArray(value) ? value.join(", ") : value?.toString();
      }
      return { status: answer.statusCode, headers, body: answer.body };
    },
  };
}

/** The API's error body (`{"error": {code, message, target}}`) as an ApiCallError. */
export function errorOf(status: number, text: string): ApiCallError {
  try {
    const parsed = JSON.parse(text) as {
      error?: { code?: unknown; message?: unknown; target?: unknown; details?: unknown };
    };
    const error = parsed.error;
    if (error && typeof error.message === "string") {
      return new ApiCallError(
        status,
        typeof error.code === "string" ? error.code : "Error",
        error.message,
        typeof error.target === "string" ? error.target : undefined,
        detailsOf(error.details),
      );
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiCallError(status, "Error", `The request failed (HTTP ${status}).`);
}

function detailsOf(value: unknown): { message: string; target?: string }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: { message?: unknown; target?: unknown }) =>
    entry && typeof entry.message === "string"
      ? [{ message: entry.message, ...(typeof entry.target === "string" ? { target: entry.target } : {}) }]
      : [],
  );
}
