import { subscriptionShapes } from "./seed-subscriptions.mjs";

const apiVersion = "api-version=2018-08-31";
const subscriptionsPath = "/api/saas/subscriptions";
/** Pages of the list endpoint collected for the list run, at most. */
const maxListPages = 100;

/** Requests that go round the items for as long as the run lasts. */
function rotating(items, build) {
  let next = 0;
  return () => build(items[next++ % items.length]);
}

/** Requests that use each item once; the run ends when they are used up. */
function eachOnce(items, build) {
  let next = 0;
  return () => (next < items.length ? build(items[next++]) : undefined);
}

async function getJson(url, path, headers) {
  const response = await fetch(`${url}${path}`, { headers });
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return { text, json: JSON.parse(text) };
}

/** The body of one get-subscription answer, to size the bare node:http reference answer like it. */
export async function getSubscriptionBody(url, headers, subscriptionId) {
  const { text } = await getJson(url, `${subscriptionsPath}/${subscriptionId}?${apiVersion}`, headers);
  return text;
}

/**
 * Walks the list endpoint from its first page by following `@nextLink`, as a publisher app does, and
 * returns the path of every page it saw (up to `maxListPages`), how many subscriptions they held, and
 * the first page's body (the size of the list's bare node:http reference answer).
 */
export async function collectListPages(url, headers) {
  const paths = [];
  let subscriptionsSeen = 0;
  let firstPageBody;
  let path = `${subscriptionsPath}?${apiVersion}`;
  while (path && paths.length < maxListPages) {
    const { text, json } = await getJson(url, path, headers);
    firstPageBody ??= text;
    paths.push(path);
    subscriptionsSeen += json.subscriptions.length;
    const nextLink = json["@nextLink"] ? new URL(json["@nextLink"]) : undefined;
    path = nextLink && `${nextLink.pathname}${nextLink.search}`;
  }
  return { paths, subscriptionsSeen, firstPageBody };
}

/** Operations not yet carried out, and webhooks not yet delivered. */
async function patchBacklog(db) {
  const count = async (query) =>
    Number((await query.select((eb) => eb.fn.countAll().as("n")).executeTakeFirst()).n);
  return (
    (await count(db.selectFrom("operations").where("pending", "=", 1))) +
    (await count(db.selectFrom("webhook_deliveries").where("status", "=", "pending")))
  );
}

/**
 * The endpoints under test. `reference` says what the rate is compared with: the bare node:http rate
 * (`http`) or the raw durable commit rate of the database (`commit`). `prepare` returns the request
 * supply for the run; the write endpoints get a fresh pool of subscriptions, one per request. `settle`
 * waits for the background work an endpoint's requests leave (see `warmAndMeasure`).
 */
export const endpoints = [
  {
    name: "get",
    label: "GET subscription",
    reference: "http",
    targetRatio: 0.5,
    expectedStatus: 200,
    prepare: ({ headers, seeded }) =>
      rotating(seeded.ids, (id) => ({
        method: "GET",
        path: `${subscriptionsPath}/${id}?${apiVersion}`,
        headers,
      })),
  },
  {
    name: "resolve",
    label: "POST resolve",
    reference: "http",
    targetRatio: 0.4,
    expectedStatus: 200,
    prepare: ({ headers, seeded }) =>
      rotating(seeded.tokens, (token) => ({
        method: "POST",
        path: `${subscriptionsPath}/resolve?${apiVersion}`,
        headers: { ...headers, "x-ms-marketplace-token": token },
      })),
  },
  {
    name: "list",
    label: "GET list (page of 100)",
    reference: "httpPage",
    targetRatio: 0.05,
    expectedStatus: 200,
    prepare: ({ headers, listPages }) => rotating(listPages, (path) => ({ method: "GET", path, headers })),
  },
  {
    name: "activate",
    label: "POST activate",
    reference: "commit",
    targetRatio: 0.5,
    expectedStatus: 200,
    prepare: async ({ headers, seedPool }) =>
      eachOnce(await seedPool("activate", subscriptionShapes.flatPending), (id) => ({
        method: "POST",
        path: `${subscriptionsPath}/${id}/activate?${apiVersion}`,
        headers: { ...headers, "content-type": "application/json" },
        body: "{}",
      })),
  },
  {
    name: "change-quantity",
    label: "PATCH quantity",
    reference: "commit",
    targetRatio: 0.5,
    expectedStatus: 202,
    // A PATCH leaves its operation to the processor and its webhook to the dispatcher.
    settle: ({ settleBacklog }) => settleBacklog(patchBacklog),
    prepare: async ({ headers, seedPool }) =>
      eachOnce(await seedPool("change-quantity", subscriptionShapes.seatsSubscribed), (id) => ({
        method: "PATCH",
        path: `${subscriptionsPath}/${id}?${apiVersion}`,
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ quantity: subscriptionShapes.seatsSubscribed.quantity + 1 }),
      })),
  },
];
