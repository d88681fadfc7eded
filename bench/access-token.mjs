import { benchPublisher } from "./seed-catalog.mjs";

/** The resource (audience) of the marketplace API that publisher apps ask tokens for. */
const marketplaceResource = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";

/** A bearer token for the benchmark publisher's app from Saasport's token endpoint (client credentials). */
export async function fetchAccessToken(url, secret) {
  const response = await fetch(`${url}/${benchPublisher.tenantId}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: benchPublisher.appId,
      client_secret: secret,
      resource: marketplaceResource,
    }),
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`The token endpoint answered ${response.status}: ${text.slice(0, 500)}`);
  }
  return JSON.parse(text).access_token;
}
