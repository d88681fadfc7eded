import { isIP } from "node:net";
import { defaultSettings, type FidelitySettings, type Settings, type TrustProxySetting } from "./settings.js";

/** One configurable value: its environment variable, how it parses, and what it means. */
interface SettingSource {
  env: string;
  apply(settings: Settings, raw: string): void;
  help: string;
}

export class SettingsError extends Error {}

function integer(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new SettingsError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function boolean(name: string, raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(value)) return true;
  if (["0", "false", "no", "off", ""].includes(value)) return false;
  throw new SettingsError(`${name} must be true or false, got "${raw}"`);
}

function oneOf<T extends string | number>(name: string, raw: string, allowed: readonly T[]): T {
  const found = allowed.find((candidate) => String(candidate) === raw.trim());
  if (found === undefined)
    throw new SettingsError(`${name} must be one of ${allowed.join(", ")}, got "${raw}"`);
  return found;
}

function fidelity<K extends keyof FidelitySettings>(
  env: string,
  key: K,
  allowed: readonly FidelitySettings[K][],
  help: string,
): SettingSource {
  return {
    env,
    help,
    apply(settings, raw) {
      settings.fidelity = { ...settings.fidelity, [key]: oneOf(env, raw, allowed as never[]) };
    },
  };
}

/** A setting of one of the grouped sections (lifecycle, billing, authFailures): parsed, then merged into its section. */
function inGroup<G extends "lifecycle" | "billing" | "authFailures">(group: G) {
  return <K extends keyof Settings[G]>(
    env: string,
    key: K,
    parse: (name: string, raw: string) => Settings[G][K],
    help: string,
  ): SettingSource => ({
    env,
    help,
    apply(settings, raw) {
      settings[group] = { ...settings[group], [key]: parse(env, raw) };
    },
  });
}

const lifecycle = inGroup("lifecycle");
const billing = inGroup("billing");
const authFailures = inGroup("authFailures");

function percentage(name: string, raw: string): string {
  const value = raw.trim();
  if (!/^\d{1,2}(\.\d{1,4})?$/.test(value)) {
    throw new SettingsError(`${name} must be a percentage from 0 to 99.9999 such as 3 or 2.5, got "${raw}"`);
  }
  return value;
}

/** proxy-addr's names for reserved ranges, accepted in a list of trusted proxies. */
const proxyRangeNames = ["loopback", "linklocal", "uniquelocal"];

function isProxyAddressOrRange(entry: string): boolean {
  if (proxyRangeNames.includes(entry)) return true;
  const [address = "", prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Trusted reverse proxies: `false` (default), `true` (every peer), a hop count (0 = none), or a
 * comma-separated list of addresses, CIDR ranges and the names loopback, linklocal, uniquelocal.
 */
export function parseTrustProxy(name: string, raw: string): TrustProxySetting {
  const value = raw.trim();
  const lower = value.toLowerCase();
  if (lower === "" || lower === "false") return false;
  if (lower === "true") return true;
  if (/^\d+$/.test(value)) {
    const hops = integer(name, value, 0, 32);
    return hops === 0 ? false : hops;
  }
  const entries = value.split(",").map((entry) => entry.trim());
  const wrong = entries.find((entry) => !isProxyAddressOrRange(entry));
  if (wrong !== undefined) {
    throw new SettingsError(
      `${name} must be true, false, a hop count, or a comma-separated list of proxy addresses, CIDR ranges, loopback, linklocal or uniquelocal; "${wrong}" is none of these`,
    );
  }
  return entries;
}

const between = (min: number, max: number) => (name: string, raw: string) => integer(name, raw, min, max);

export const settingSources: readonly SettingSource[] = [
  {
    env: "SAASPORT_HOST",
    help: "Address to listen on (default 127.0.0.1).",
    apply: (s, r) => {
      s.host = r;
    },
  },
  {
    env: "SAASPORT_PORT",
    help: "Port to listen on (default 4680; 0 picks a free port).",
    apply: (s, r) => {
      s.port = integer("SAASPORT_PORT", r, 0, 65535);
    },
  },
  {
    env: "SAASPORT_DATA",
    help: "Data directory (default ./.saasport).",
    apply: (s, r) => {
      s.dataDir = r;
    },
  },
  {
    env: "DATABASE_URL",
    help: "PostgreSQL connection URL; without it the embedded SQLite file in the data directory is used.",
    apply: (s, r) => {
      s.databaseUrl = r || undefined;
    },
  },
  {
    env: "SAASPORT_PG_NAMED_STATEMENTS",
    help: "On PostgreSQL, prepare the frequent statements once per connection (default true; false behind PgBouncer older than 1.21 in transaction mode).",
    apply: (s, r) => {
      s.namedStatements = boolean("SAASPORT_PG_NAMED_STATEMENTS", r);
    },
  },
  {
    env: "SAASPORT_CATALOG",
    help: "Catalog file (YAML or JSON) loaded on start.",
    apply: (s, r) => {
      s.catalogFile = r || undefined;
    },
  },
  {
    env: "SAASPORT_DEMO_CATALOG",
    help: "Load the demo catalog into a new data directory when no catalog file is given (default true).",
    apply: (s, r) => {
      s.demoCatalog = boolean("SAASPORT_DEMO_CATALOG", r);
    },
  },
  {
    env: "SAASPORT_OPERATOR_KEY",
    help: "Operator API key; without it one is generated and kept in the data directory.",
    apply: (s, r) => {
      s.operatorKey = r || undefined;
    },
  },
  {
    env: "SAASPORT_TLS",
    help: "Serve HTTPS with a generated certificate (true/false).",
    apply: (s, r) => {
      s.tls = boolean("SAASPORT_TLS", r);
    },
  },
  {
    env: "SAASPORT_NO_AUTH",
    help: "Development only: accept /api calls without a token (true/false).",
    apply: (s, r) => {
      s.noAuth = boolean("SAASPORT_NO_AUTH", r);
    },
  },
  {
    env: "SAASPORT_MOCK_API_VERSION",
    help: "Development only: also accept the retired mock api-version 2018-09-15, whose /api calls need no token (true/false; 2018-08-31 calls still do).",
    apply: (s, r) => {
      s.mockApiVersion = boolean("SAASPORT_MOCK_API_VERSION", r);
    },
  },
  {
    env: "SAASPORT_PUBLIC_URL",
    help: "Absolute base URL clients use (for @nextLink, Operation-Location, issuers).",
    apply: (s, r) => {
      s.publicUrl = r || undefined;
    },
  },
  {
    env: "SAASPORT_TRUST_PROXY",
    help: "Reverse proxies whose X-Forwarded-For/-Proto/-Host are believed: false (default), true, a hop count, or a comma-separated list of addresses and CIDR ranges.",
    apply: (s, r) => {
      s.trustProxy = parseTrustProxy("SAASPORT_TRUST_PROXY", r);
    },
  },
  {
    env: "SAASPORT_PAGE_SIZE",
    help: "Subscriptions per page of the list endpoint (default 100).",
    apply: (s, r) => {
      s.pageSize = integer("SAASPORT_PAGE_SIZE", r, 1, 1000);
    },
  },
  {
    env: "SAASPORT_LANDING_TOKEN_TTL",
    help: "Purchase token lifetime in seconds (default 86400).",
    apply: (s, r) => {
      s.landingTokenTtlSeconds = integer("SAASPORT_LANDING_TOKEN_TTL", r, 1, 31 * 86400);
    },
  },
  {
    env: "SAASPORT_BODY_LIMIT",
    help: "Largest request body in bytes (default 262144).",
    apply: (s, r) => {
      s.bodyLimitBytes = integer("SAASPORT_BODY_LIMIT", r, 1024, 64 * 1024 * 1024);
    },
  },
  {
    env: "SAASPORT_ACCESS_TOKEN_VERSION",
    help: "Access tokens issued as Entra v1 (appid, sts.windows.net issuer) or v2 (azp) tokens (default 1).",
    apply: (s, r) => {
      s.accessTokenVersion = oneOf("SAASPORT_ACCESS_TOKEN_VERSION", r, [1, 2] as const);
    },
  },
  {
    env: "SAASPORT_TRUSTED_JWKS_URI",
    help: "Also accept tokens signed by this remote JWKS (e.g. https://login.microsoftonline.com/common/discovery/v2.0/keys).",
    apply: (s, r) => {
      s.trustedJwksUri = r || undefined;
    },
  },
  {
    env: "SAASPORT_LOG_LEVEL",
    help: "fatal, error, warn, info, debug or silent (default warn).",
    apply: (s, r) => {
      s.logLevel = oneOf("SAASPORT_LOG_LEVEL", r, [
        "fatal",
        "error",
        "warn",
        "info",
        "debug",
        "silent",
      ] as const);
    },
  },
  fidelity(
    "SAASPORT_AUTH_FAILURE_STATUS",
    "authFailureStatus",
    [401, 403],
    "Status for a missing or invalid token (default 401).",
  ),
  fidelity(
    "SAASPORT_OPERATION_LIST_SHAPE",
    "operationListShape",
    ["object", "array"],
    "List of outstanding operations as {operations:[...]} or a bare array (default object).",
  ),
  fidelity(
    "SAASPORT_OPERATION_NOT_FOUND_STATUS",
    "operationNotFoundStatus",
    [404, 400],
    "Status for an unknown operation id (default 404).",
  ),
  fidelity(
    "SAASPORT_ACTIVATE_BODY_VALIDATION",
    "activateBodyValidation",
    ["ignore", "strict"],
    "Whether activate rejects a planId/quantity that differs from the purchase (default ignore).",
  ),
  fidelity(
    "SAASPORT_RESOLVE_UNKNOWN_TOKEN_STATUS",
    "resolveUnknownTokenStatus",
    [400, 404],
    "Status for resolving an unknown or expired landing token (default 400).",
  ),
  fidelity(
    "SAASPORT_UNKNOWN_SUBSCRIPTION_PLANS",
    "unknownSubscriptionPlans",
    ["notFound", "empty"],
    "listAvailablePlans for an unknown subscription: 404 or an empty plan list (default notFound).",
  ),
  fidelity(
    "SAASPORT_EMPTY_SUBSCRIPTION_LIST",
    "emptySubscriptionList",
    ["object", "emptyBody"],
    'The list of no subscriptions: {"subscriptions":[]} or an empty body (default object).',
  ),
  fidelity(
    "SAASPORT_ACTIVATE_SUBSCRIBED",
    "activateSubscribed",
    ["reject", "accept"],
    "Activate on a Subscribed subscription: 400, or success with nothing changed (default reject).",
  ),
  fidelity(
    "SAASPORT_OPERATION_FIELDS",
    "operationFields",
    ["live", "spec"],
    "O1/O2 operations with operationRequestSource and error fields, or the official file's only (default live).",
  ),
  fidelity(
    "SAASPORT_FLAT_RATE_QUANTITY",
    "flatRateQuantity",
    ["absent", "null"],
    "quantity of flat-rate subscriptions: left out or null (default absent).",
  ),
  fidelity(
    "SAASPORT_LEGACY_RESOURCE_ID",
    "legacyResourceId",
    ["reject", "accept"],
    "Tokens for the older marketplace resource id 62d94f6c-…: refused or accepted (default reject).",
  ),
  fidelity(
    "SAASPORT_PLAN_AND_QUANTITY",
    "planAndQuantity",
    ["reject", "allow"],
    "PATCH with planId and quantity together: 400, or one ChangePlan that sets both (default reject).",
  ),
  fidelity(
    "SAASPORT_ACTIVATE_STATUS",
    "activateStatus",
    [200, 202],
    "Status of a successful activate, with an empty body either way (default 200).",
  ),
  fidelity(
    "SAASPORT_OPERATION_STATUS_VALUES",
    "operationStatusValues",
    ["validate", "acceptAny"],
    "Operation status other than Success or Failure: 400, or 200 with nothing changed (default validate).",
  ),
  fidelity(
    "SAASPORT_LOCKED_SUBSCRIPTION_STATUS",
    "lockedSubscriptionStatus",
    [400, 409],
    "Status for a change while another operation is pending (default 400).",
  ),
  fidelity(
    "SAASPORT_PARTNER_OPERATION_ACK_STATUS",
    "partnerOperationAckStatus",
    [400, 409],
    "Status for acknowledging an operation the publisher started itself (default 400).",
  ),
  fidelity(
    "SAASPORT_SOURCE_OFFERS_SHAPE",
    "sourceOffersShape",
    ["omit", "empty", "objects"],
    "sourceOffers on plans: omitted, [] or [{externalId}] (default omit).",
  ),
  fidelity(
    "SAASPORT_LAST_MODIFIED_STYLE",
    "lastModifiedStyle",
    ["real", "dotnetDefault"],
    "lastModified as a real timestamp or 0001-01-01T00:00:00 (default real).",
  ),
  fidelity(
    "SAASPORT_CANCEL_AFTER_REFUND_WINDOW",
    "cancelAfterRefundWindow",
    ["allow", "rejectMultiMonth"],
    "Publisher DELETE after 72 h on terms longer than a month (default allow).",
  ),
  {
    env: "SAASPORT_ACTIVATION_DELAY_MS",
    help: "Delay between activate and the subscription turning Subscribed (default 0: at once).",
    apply: (s, r) => {
      s.fidelity = {
        ...s.fidelity,
        activationDelayMs: integer("SAASPORT_ACTIVATION_DELAY_MS", r, 0, 3_600_000),
      };
    },
  },
  {
    env: "SAASPORT_PARTNER_OPERATION_DELAY_MS",
    help: "Delay before a publisher-initiated operation is applied (default 0).",
    apply: (s, r) => {
      s.fidelity = {
        ...s.fidelity,
        partnerOperationDelayMs: integer("SAASPORT_PARTNER_OPERATION_DELAY_MS", r, 0, 3_600_000),
      };
    },
  },
  lifecycle(
    "SAASPORT_ACK_WINDOW_MS",
    "ackWindowMs",
    between(0, 86_400_000),
    "Time a publisher has to accept or reject a ChangePlan/ChangeQuantity/Reinstate before it auto-succeeds (default 10000).",
  ),
  lifecycle(
    "SAASPORT_WEBHOOK_TIMEOUT_MS",
    "webhookTimeoutMs",
    between(100, 600_000),
    "Timeout of one webhook call (default 10000).",
  ),
  lifecycle(
    "SAASPORT_WEBHOOK_MAX_ATTEMPTS",
    "webhookMaxAttempts",
    between(1, 100_000),
    "Attempts per webhook delivery before it gives up (default 500).",
  ),
  lifecycle(
    "SAASPORT_WEBHOOK_RETRY_WINDOW_MS",
    "webhookRetryWindowMs",
    between(0, 30 * 86_400_000),
    "How long after its first attempt a delivery is retried (default 28800000 = 8 h).",
  ),
  lifecycle(
    "SAASPORT_WEBHOOK_RETRY_INITIAL_MS",
    "webhookRetryInitialDelayMs",
    between(1, 3_600_000),
    "Delay before the first retry; it doubles with jitter (default 1000).",
  ),
  lifecycle(
    "SAASPORT_WEBHOOK_RETRY_MAX_MS",
    "webhookRetryMaxDelayMs",
    between(1, 86_400_000),
    "Longest delay between two retries (default 60000).",
  ),
  lifecycle(
    "SAASPORT_REINSTATE_FLOW",
    "reinstateFlow",
    (name, raw) => oneOf(name, raw, ["ack", "notify"] as const),
    "Reinstate waits for the publisher's acknowledgement (ack) or only notifies (notify) (default ack).",
  ),
  lifecycle(
    "SAASPORT_GRACE_PERIOD_DAYS",
    "gracePeriodDays",
    between(0, 365),
    "Days a Suspended subscription is kept before it is Unsubscribed (default 30).",
  ),
  lifecycle(
    "SAASPORT_REFUND_WINDOW_HOURS",
    "refundWindowHours",
    between(0, 24 * 365),
    "Hours after purchase in which a cancellation is not charged (default 72).",
  ),
  lifecycle(
    "SAASPORT_PENDING_EXPIRY_DAYS",
    "pendingExpiryDays",
    between(0, 3650),
    "Days after which a purchase that was never activated is Unsubscribed; 0 = never (default 0).",
  ),
  lifecycle(
    "SAASPORT_TRIAL_CONVERSION_WEBHOOK",
    "trialConversionWebhook",
    (name, raw) => oneOf(name, raw, ["Renew", "none"] as const),
    "Webhook sent when a free trial converts to paid: Renew or none (default Renew).",
  ),
  lifecycle(
    "SAASPORT_CLOCK_CONTROL",
    "clockControl",
    boolean,
    "Allow /operator/v1/clock to move time forward (test and demo mode; default true).",
  ),
  billing(
    "SAASPORT_STORE_FEE_PERCENT",
    "storeFeePercent",
    percentage,
    "The marketplace's store fee on collected revenue, in percent (default 3).",
  ),
  billing(
    "SAASPORT_PRORATION",
    "prorationPolicy",
    (name, raw) => oneOf(name, raw, ["prorate", "none"] as const),
    "Mid-term plan and seat changes: prorate by day, or none (the new price starts with the next term) (default prorate).",
  ),
  billing(
    "SAASPORT_INVOICE_COLLECTION",
    "invoiceCollection",
    (name, raw) => oneOf(name, raw, ["manual", "automatic"] as const),
    "Invoices stay open until the operator marks them paid or failed (manual), or are paid as issued (automatic) (default manual).",
  ),
  billing(
    "SAASPORT_BILLING_POLL_MS",
    "pollIntervalMs",
    between(10, 3_600_000),
    "How often the ledger looks for charges that fell due, in milliseconds (default 1000).",
  ),
  authFailures(
    "SAASPORT_AUTH_FAILURE_LIMIT",
    "limit",
    between(0, 1_000_000),
    "Failed client authentications (per client id and per address) or console sign-ins (per address) within the window before further attempts are answered 429; 0 = no limit (default 10).",
  ),
  authFailures(
    "SAASPORT_AUTH_FAILURE_WINDOW_SECONDS",
    "windowSeconds",
    between(1, 86_400),
    "Window in which failures are counted, and how long a lockout lasts, in seconds (default 60).",
  ),
];

/** Defaults, then the environment, then explicit overrides (CLI flags), in that order. */
export function loadSettings(env: NodeJS.ProcessEnv, overrides: Partial<Settings> = {}): Settings {
  const settings: Settings = {
    ...defaultSettings,
    fidelity: { ...defaultSettings.fidelity },
    lifecycle: { ...defaultSettings.lifecycle },
    billing: { ...defaultSettings.billing },
    authFailures: { ...defaultSettings.authFailures },
  };
  for (const source of settingSources) {
    const raw = env[source.env];
    if (raw !== undefined) source.apply(settings, raw);
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) (settings as unknown as Record<string, unknown>)[key] = value;
  }
  return settings;
}
