import type { TestServer } from "../../support/server.js";

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answer bodies by path.
  body: any;
  headers: Headers;
}

export interface CallOptions {
  body?: unknown;
  /** Raw text sent as the body instead of JSON. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export async function call(
  server: TestServer,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer> {
  const hasBody = options.body !== undefined || options.rawBody !== undefined;
  const response = await server.fetch(path, {
    method,
    headers: { ...(hasBody ? { "content-type": "application/json" } : {}), ...options.headers },
    ...(hasBody ? { body: options.rawBody ?? JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** The operator acting for a publisher on /partner. */
export function asOperatorFor(server: TestServer, publisherId: string): Record<string, string> {
  return { authorization: `Bearer ${server.operatorKey}`, "x-saasport-publisher-id": publisherId };
}

export function asOperator(server: TestServer): Record<string, string> {
  return { authorization: `Bearer ${server.operatorKey}` };
}

/** A publisher's own access token from Saasport's Entra-compatible token endpoint (client credentials). */
export async function publisherToken(
  server: TestServer,
  tenantId: string,
  clientId: string,
  clientSecret: string,
): Promise<string> {
  const response = await server.fetch(`/${tenantId}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
      scope: "20e940b3-4c77-4b0b-9a53-9e16a1b010a7/.default",
    }).toString(),
  });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !body.access_token) {
    throw new Error(`token request failed with ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.access_token;
}
