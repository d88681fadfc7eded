import { expect } from "vitest";
import { fixture } from "./fixture-catalog.js";
import { assertAnswerMatchesOfficialSchema } from "./openapi.js";
import type { TestServer } from "./server.js";

export const apiVersion = "api-version=2018-08-31";
export const marketplaceResource = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";

type PublisherName = "contoso" | "fabrikam";

/** Asks Saasport's token endpoint (v1) for a marketplace token with a client secret. */
export function requestToken(
  server: TestServer,
  app: { tenantId: string; appId: string; secret: string },
): Promise<Response> {
  return server.fetch(`/${app.tenantId}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: app.appId,
      client_secret: app.secret,
      resource: marketplaceResource,
    }),
  });
}

/** A bearer token from Saasport's own token endpoint, as a publisher app gets it. */
export async function publisherToken(server: TestServer, publisher: PublisherName): Promise<string> {
  const response = await requestToken(server, fixture[publisher]);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

export interface PurchaseOptions {
  offerId: string;
  planId: string;
  quantity?: number;
  termUnit?: string;
  tenantId?: string;
  purchaserTenantId?: string;
  name?: string;
}

/** Buys through the store API with the operator key; returns the 201 body. */
export async function purchase(server: TestServer, options: PurchaseOptions) {
  const response = await server.fetch("/store/v1/purchases", {
    method: "POST",
    headers: { authorization: `Bearer ${server.operatorKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      offerId: options.offerId,
      planId: options.planId,
      ...(options.quantity === undefined ? {} : { quantity: options.quantity }),
      ...(options.termUnit === undefined ? {} : { termUnit: options.termUnit }),
      ...(options.name === undefined ? {} : { name: options.name }),
      beneficiary: { tenantId: options.tenantId ?? fixture.buyerTenant, emailId: "ada@buyer.example" },
      ...(options.purchaserTenantId ? { purchaser: { tenantId: options.purchaserTenantId } } : {}),
    }),
  });
  const body = (await response.json()) as { subscriptionId: string; token: string; landingPageUrl: string };
  expect(response.status, JSON.stringify(body)).toBe(201);
  return body;
}

/**
 * Calls the /api surface with a bearer token. Every answer is held to the official schema of its
 * operation and status, unless `officialSchemas` is false: for a server set to a reading of the
 * sources that the official files do not describe (a fidelity setting's alternative).
 */
export function api(server: TestServer, token: string, { officialSchemas = true } = {}) {
  return async (
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const separator = path.includes("?") ? "&" : "?";
    const response = await server.fetch(`/api${path}${separator}${apiVersion}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
        ...init.headers,
      },
      ...(init.body === undefined
        ? {}
        : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : undefined;
    if (officialSchemas && json !== undefined)
      assertAnswerMatchesOfficialSchema(method, path, response.status, json);
    return { status: response.status, headers: response.headers, text, json };
  };
}

/** Calls `/operator/v1` with the operator key; the answer's JSON, if any, is parsed. */
export function operator(server: TestServer) {
  return async (method: string, path: string, body?: unknown) => {
    const response = await server.fetch(`/operator/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${server.operatorKey}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  };
}
