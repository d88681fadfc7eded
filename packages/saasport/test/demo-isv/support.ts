import { expect } from "vitest";
import { marketplaceResource } from "../support/marketplace-client.js";
import type { TestServer } from "../support/server.js";

/** The demo catalog's Contoso app registration (catalogs/demo.yaml). */
export const demoContoso = {
  tenantId: "11111111-1111-1111-1111-111111111111",
  appId: "aaaaaaaa-1111-1111-1111-111111111111",
  secret: "contoso-demo-client-secret",
};

/** A Fulfillment API token for the demo Contoso app, as any publisher app gets it. */
export async function demoContosoToken(server: TestServer): Promise<string> {
  const response = await server.fetch(`/${demoContoso.tenantId}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: demoContoso.appId,
      client_secret: demoContoso.secret,
      scope: `${marketplaceResource}/.default`,
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The value of a hidden form field on a page. */
export function hiddenField(page: string, name: string): string | undefined {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(page);
  return match?.[1]?.replaceAll("&amp;", "&");
}

/** The action of the first form on a page. */
export function formAction(page: string): string | undefined {
  return /<form method="post" action="([^"]*)"/.exec(page)?.[1];
}

export function postForm(
  server: TestServer,
  path: string,
  fields: Record<string, string>,
): Promise<Response> {
  return server.fetch(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
}

export interface DemoLogRecord {
  kind: string;
  subscriptionId: string | null;
  summary: string;
  detail: Record<string, unknown>;
}

export async function demoLog(server: TestServer, publisherId = "contoso"): Promise<DemoLogRecord[]> {
  const response = await server.fetch(`/demo-isv/${publisherId}/log.json?limit=200`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { records: DemoLogRecord[] }).records;
}
