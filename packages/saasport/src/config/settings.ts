import { join } from "node:path";

/**
 * Behaviours where Microsoft's sources disagree (spec section 10). Each one is a named setting whose
 * default is the decision of spec section 11; the configuration reference in the README lists them.
 */
export interface FidelitySettings {
  /** Status for a missing, malformed or expired bearer token (spec §10.3). */
  authFailureStatus: 401 | 403;
  /** Shape of `GET .../operations`: `{ operations: [...] }` (spec, docs) or a bare array (2019 docs). */
  operationListShape: "object" | "array";
  /** Status for an unknown operation id on O2/O3: 404 (docs) or 400 (live per emulator notes). */
  operationNotFoundStatus: 404 | 400;
  /** Activate body: `ignore` a mismatching planId/quantity (live) or reject it with 400 (`strict`). */
  activateBodyValidation: "ignore" | "strict";
  /** PATCH while another operation is pending: 400 "locked" (live) or 409 (2019 docs). */
  lockedSubscriptionStatus: 400 | 409;
  /** O3 on an operation the publisher itself started (live answers 500): 400 or 409. */
  partnerOperationAckStatus: 400 | 409;
  /** `sourceOffers` on plans: omitted, `[]`, or the 2025 spec objects `{externalId}`. */
  sourceOffersShape: "omit" | "empty" | "objects";
  /** `lastModified`: a real timestamp, or the .NET default `0001-01-01T00:00:00` seen live on GETs. */
  lastModifiedStyle: "real" | "dotnetDefault";
  /** DELETE after the refund window on a term longer than a month: allowed (docs) or rejected (live 2024). */
  cancelAfterRefundWindow: "allow" | "rejectMultiMonth";
  /** Milliseconds before a partner-initiated operation is applied (live: "usually quick"). */
  partnerOperationDelayMs: number;
  /**
   * Milliseconds between activate's answer and the subscription turning Subscribed: 0 applies at once;
   * current docs say activation takes effect "after a few minutes".
   */
  activationDelayMs: number;
  /**
   * Resolve with a token that is unknown or expired (spec §10.5): 400 "Failed to decode token" (docs,
   * live) or 404 (the official file's status).
   */
  resolveUnknownTokenStatus: 400 | 404;
  /**
   * listAvailablePlans for a subscription id that does not exist (spec §10.5): 404 (the official file) or
   * 200 with no plans, `{"plans":[]}` (the docs' empty answer, the emulator's empty list).
   */
  unknownSubscriptionPlans: "notFound" | "empty";
  /**
   * The subscription list when the publisher has none (spec §10.5): `{"subscriptions":[]}` (the official
   * file) or 200 with an empty body (docs).
   */
  emptySubscriptionList: "object" | "emptyBody";
  /**
   * Activate on a subscription already Subscribed (spec §10.25, undocumented): 400 (`reject`) or the
   * `activateStatus` with nothing changed (`accept`), as an app that activates again after the buyer's
   * Manage visit expects.
   */
  activateSubscribed: "reject" | "accept";
  /**
   * O1/O2 operation fields (spec §10.11): `live` adds `operationRequestSource` (live, webhooks) and
   * `errorStatusCode`/`errorMessage` (docs) to the official file's fields; `spec` sends only the latter.
   */
  operationFields: "live" | "spec";
  /**
   * `quantity` of a flat-rate subscription (spec §10.7): left out (`absent`, the official file, live) or
   * `null` (docs examples).
   */
  flatRateQuantity: "absent" | "null";
  /**
   * The resource id of older documentation, `62d94f6c-…` (spec §10.24): refused like any unknown
   * resource (`reject`), or accepted next to the current one (`accept`): tokens may be requested for it
   * and carry it as their audience.
   */
  legacyResourceId: "reject" | "accept";
  /**
   * PATCH with both `planId` and `quantity` (spec §10.14): 400 "Cannot patch more than one field"
   * (docs, live), or one ChangePlan that also sets the seats (`allow`, as the official schema permits).
   */
  planAndQuantity: "reject" | "allow";
  /**
   * Status of a successful activate (spec §10.4): 200 (the official file, docs, live), or 202 with an
   * empty body, as the docs' asynchronous activation suggests (spec issue #42). No Operation-Location:
   * activation is not an operation of the Operations API.
   */
  activateStatus: 200 | 202;
  /**
   * O3 `status` other than "Success" or "Failure" (spec §4 O3, §10.13): 400 InvalidValue (`validate`),
   * or 200 with nothing changed (`acceptAny`), as live accepted any string.
   */
  operationStatusValues: "validate" | "acceptAny";
}

/** Timers and policies of the lifecycle engine (spec §9), each with the documented default. */
export interface LifecycleSettings {
  /** Time a publisher has to answer a ChangePlan/ChangeQuantity (or Reinstate) before it auto-succeeds. */
  ackWindowMs: number;
  /** Per-call webhook timeout. */
  webhookTimeoutMs: number;
  /** Retry budget: at most this many attempts... */
  webhookMaxAttempts: number;
  /** ...within this long after the first attempt; then the delivery gives up. */
  webhookRetryWindowMs: number;
  /** Backoff of the first retry; it doubles (with jitter) up to `webhookRetryMaxDelayMs`. */
  webhookRetryInitialDelayMs: number;
  webhookRetryMaxDelayMs: number;
  /** Reinstate waits for the publisher's ack (lifecycle doc) or only notifies (newer webhook table). */
  reinstateFlow: "ack" | "notify";
  /** Days a Suspended subscription waits for payment before it is Unsubscribed. */
  gracePeriodDays: number;
  /** Hours after purchase in which a cancellation is not charged. */
  refundWindowHours: number;
  /** Days after which a never-activated purchase is Unsubscribed; 0 = never. */
  pendingExpiryDays: number;
  /** Webhook sent when a free trial converts to paid: Renew (spec §6.2 T10) or none. */
  trialConversionWebhook: "Renew" | "none";
  /** Whether /operator/v1/clock may move time (test and demo mode). */
  clockControl: boolean;
}

/** The billing ledger's policies (spec §8), each with the documented default. */
export interface BillingSettings {
  /** The marketplace's store fee on collected revenue, an exact decimal percentage (default "3"). */
  storeFeePercent: string;
  /** Mid-term plan and seat changes: settled by day ("prorate") or from the next term ("none"). */
  prorationPolicy: "prorate" | "none";
  /** Invoices stay open until the operator marks them ("manual") or are paid as issued ("automatic"). */
  invoiceCollection: "manual" | "automatic";
  /** How often the ledger looks for lines that fell due, in milliseconds. */
  pollIntervalMs: number;
}

/**
 * Limits on guessing credentials at the token endpoints (per client id and per remote address) and at
 * console sign-in (per remote address). Entra's smart lockout also locks after 10 failures for 60 s.
 */
export interface AuthFailureSettings {
  /** Failed attempts within the window after which further attempts are refused; 0 = no limit. */
  limit: number;
  /** Length of the counting window, and of the lockout that follows, in seconds. */
  windowSeconds: number;
}

/**
 * Which peers are proxies whose `X-Forwarded-For`, `X-Forwarded-Proto` and `X-Forwarded-Host` are
 * believed: `false` (none: the socket's address is the client), `true` (every peer), a number of
 * proxy hops in front of Saasport, or a list of proxy addresses, CIDR ranges and the names
 * `loopback`, `linklocal` and `uniquelocal`.
 */
export type TrustProxySetting = boolean | number | readonly string[];

export interface Settings {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  /**
   * On PostgreSQL, run the frequent statements as named prepared statements (parsed once per
   * connection). Off only for a connection pooler that cannot keep them, such as PgBouncer before 1.21
   * in transaction mode.
   */
  namedStatements: boolean;
  catalogFile: string | undefined;
  /** Load the shipped demo catalog into a new data directory when no catalog file is given. */
  demoCatalog: boolean;
  operatorKey: string | undefined;
  tls: boolean;
  noAuth: boolean;
  /**
   * Also accept the retired mock api-version `2018-09-15` (spec §1.2), served without a token as in
   * no-auth mode; `2018-08-31` calls keep full authentication. Off by default.
   */
  mockApiVersion: boolean;
  /** Absolute base URL used in `@nextLink`, `Operation-Location` and token issuers. */
  publicUrl: string | undefined;
  /** Reverse proxies whose forwarding headers give the client's address and scheme (default none). */
  trustProxy: TrustProxySetting;
  /** Page size of `GET /api/saas/subscriptions`. */
  pageSize: number;
  /** Lifetime of landing-page purchase tokens, in seconds (docs: 24 h). */
  landingTokenTtlSeconds: number;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** Access-token version issued by the token service: 1 (`appid`, sts issuer) or 2 (`azp`). */
  accessTokenVersion: 1 | 2;
  /** Remote JWKS whose tokens are trusted too (e.g. real Entra ID keys), or undefined. */
  trustedJwksUri: string | undefined;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "silent";
  fidelity: FidelitySettings;
  lifecycle: LifecycleSettings;
  billing: BillingSettings;
  authFailures: AuthFailureSettings;
}

export const defaultLifecycle: LifecycleSettings = {
  ackWindowMs: 10_000,
  webhookTimeoutMs: 10_000,
  webhookMaxAttempts: 500,
  webhookRetryWindowMs: 8 * 3600_000,
  webhookRetryInitialDelayMs: 1_000,
  webhookRetryMaxDelayMs: 60_000,
  reinstateFlow: "ack",
  gracePeriodDays: 30,
  refundWindowHours: 72,
  pendingExpiryDays: 0,
  trialConversionWebhook: "Renew",
  clockControl: true,
};

export const defaultBilling: BillingSettings = {
  storeFeePercent: "3",
  prorationPolicy: "prorate",
  invoiceCollection: "manual",
  pollIntervalMs: 1_000,
};

export const defaultAuthFailures: AuthFailureSettings = {
  limit: 10,
  windowSeconds: 60,
};

export const defaultFidelity: FidelitySettings = {
  authFailureStatus: 401,
  operationListShape: "object",
  operationNotFoundStatus: 404,
  activateBodyValidation: "ignore",
  lockedSubscriptionStatus: 400,
  partnerOperationAckStatus: 400,
  sourceOffersShape: "omit",
  lastModifiedStyle: "real",
  cancelAfterRefundWindow: "allow",
  partnerOperationDelayMs: 0,
  activationDelayMs: 0,
  resolveUnknownTokenStatus: 400,
  unknownSubscriptionPlans: "notFound",
  emptySubscriptionList: "object",
  activateSubscribed: "reject",
  operationFields: "live",
  flatRateQuantity: "absent",
  legacyResourceId: "reject",
  planAndQuantity: "reject",
  activateStatus: 200,
  operationStatusValues: "validate",
};

export const defaultSettings: Settings = {
  host: "127.0.0.1",
  port: 4680,
  dataDir: ".saasport",
  databaseUrl: undefined,
  namedStatements: true,
  catalogFile: undefined,
  demoCatalog: true,
  operatorKey: undefined,
  tls: false,
  noAuth: false,
  mockApiVersion: false,
  publicUrl: undefined,
  trustProxy: false,
  pageSize: 100,
  landingTokenTtlSeconds: 24 * 3600,
  bodyLimitBytes: 256 * 1024,
  accessTokenVersion: 1,
  trustedJwksUri: undefined,
  logLevel: "warn",
  fidelity: defaultFidelity,
  lifecycle: defaultLifecycle,
  billing: defaultBilling,
  authFailures: defaultAuthFailures,
};

export function databaseFile(settings: Pick<Settings, "dataDir">): string {
  return join(settings.dataDir, "saasport.db");
}

/** The URL clients use to reach this server: the configured public URL, else scheme://host:port. */
export function baseUrl(settings: Pick<Settings, "publicUrl" | "tls" | "host" | "port">): string {
  if (settings.publicUrl) return settings.publicUrl.replace(/\/+$/, "");
  const host = settings.host === "0.0.0.0" || settings.host === "::" ? "127.0.0.1" : settings.host;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return `${settings.tls ? "https" : "http"}://${shownHost}:${settings.port}`;
}
