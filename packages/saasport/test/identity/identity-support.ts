import { randomUUID } from "node:crypto";
import { decodeJwt, decodeProtectedHeader } from "jose";
import type { Kysely } from "kysely";
import type { Database } from "../../src/db/tables.js";
import { registerClientSecret } from "../../src/identity/secrets.js";
import type { TestServer } from "../support/server.js";

export const marketplaceResource = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";

export interface TestPublisher {
  id: string;
  tenantId: string;
  appId: string;
  secret: string;
}

/** A publisher row written straight into the database (the catalog owns publishers), with one client secret. */
export async function insertPublisher(
  db: Kysely<Database>,
  id = `pub-${randomUUID().slice(0, 8)}`,
): Promise<TestPublisher> {
  const publisher = { id, tenantId: randomUUID(), appId: randomUUID(), secret: `secret-${randomUUID()}` };
  const now = new Date().toISOString();
  await db
    .insertInto("publishers")
    .values({
      id,
      display_name: id,
      tenant_id: publisher.tenantId,
      app_id: publisher.appId,
      landing_page_url: `https://${id}.example/landing`,
      webhook_url: `https://${id}.example/webhook`,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await registerClientSecret(db, { publisherId: id, secret: publisher.secret, now: new Date() });
  return publisher;
}

export interface FormAnswer {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

export async function postForm(
  server: Pick<TestServer, "fetch">,
  path: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<FormAnswer> {
  const response = await server.fetch(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form),
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

export function v1TokenForm(
  publisher: TestPublisher,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    grant_type: "client_credentials",
    client_id: publisher.appId,
    client_secret: publisher.secret,
    resource: marketplaceResource,
    ...overrides,
  };
}

export function v2TokenForm(
  publisher: TestPublisher,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    grant_type: "client_credentials",
    client_id: publisher.appId,
    client_secret: publisher.secret,
    scope: `${marketplaceResource}/.default`,
    ...overrides,
  };
}

/** A v2 access token for the publisher from the running server. */
export async function accessToken(
  server: Pick<TestServer, "fetch">,
  publisher: TestPublisher,
): Promise<string> {
  const answer = await postForm(server, `/${publisher.tenantId}/oauth2/v2.0/token`, v2TokenForm(publisher));
  if (answer.status !== 200) throw new Error(`token request failed: ${JSON.stringify(answer.json)}`);
  return String(answer.json.access_token);
}

export function decodeToken(token: string) {
  return { header: decodeProtectedHeader(token), claims: decodeJwt(token) };
}

/** Just enough of a Fastify request for the authenticator. */
export function fakeRequest(
  authorization?: string,
  options: { query?: Record<string, string>; headers?: Record<string, string> } = {},
) {
  return {
    headers: { ...(authorization === undefined ? {} : { authorization }), ...(options.headers ?? {}) },
    query: options.query ?? {},
  } as unknown as import("fastify").FastifyRequest;
}
