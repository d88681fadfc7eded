import type { ColumnType, Generated } from "kysely";

/** An integer column with a database default: optional on insert, always present when read. */
type DefaultedInteger = ColumnType<number, number | undefined, number>;

/**
 * Table types shared by SQLite and PostgreSQL. Portable storage rules:
 * - timestamps are ISO-8601 UTC strings with milliseconds (`2026-05-02T10:11:12.123Z`), which sort
 *   lexically and round-trip exactly on both databases;
 * - money is a decimal string (`"49.99"`), never a float;
 * - ids are strings; booleans are integers 0/1; structured values are JSON text.
 */
export interface Database {
  meta: MetaTable;
  publishers: PublisherTable;
  publisher_secrets: PublisherSecretTable;
  publisher_certificates: PublisherCertificateTable;
  signing_keys: SigningKeyTable;
  offers: OfferTable;
  plans: PlanTable;
  subscriptions: SubscriptionTable;
  operations: OperationTable;
  purchase_tokens: PurchaseTokenTable;
  events: EventTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  webhook_secrets: WebhookSecretTable;
  clocks: ClockTable;
  faults: FaultTable;
  demo_isv_log: DemoIsvLogTable;
  usage_events: UsageEventTable;
  usage_daily: UsageDailyTable;
  private_offers: PrivateOfferTable;
  private_offer_plans: PrivateOfferPlanTable;
  billing_states: BillingStateTable;
  ledger_lines: LedgerLineTable;
  invoices: InvoiceTable;
  console_sessions: ConsoleSessionTable;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface PublisherTable {
  id: string;
  display_name: string;
  tenant_id: string;
  app_id: string;
  landing_page_url: string;
  webhook_url: string;
  created_at: string;
  updated_at: string;
}

export interface PublisherSecretTable {
  id: string;
  publisher_id: string;
  /** SHA-256 (hex) of the secret; the secret itself is never stored. */
  secret_hash: string;
  /** First characters of the secret, to tell secrets apart in listings. */
  hint: string;
  description: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface PublisherCertificateTable {
  id: string;
  publisher_id: string;
  /** PEM certificate or SPKI public key used to verify client assertions. */
  public_key_pem: string;
  /** base64url SHA-1 and SHA-256 thumbprints of the certificate (`x5t`, `x5t#S256`), when it is one. */
  x5t: string | null;
  x5t_s256: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface SigningKeyTable {
  kid: string;
  private_key_pem: string;
  public_jwk: string;
  created_at: string;
  retired_at: string | null;
  /** A retired key stays published until tokens signed with it have expired. */
  published_until: string | null;
}

export interface OfferTable {
  publisher_id: string;
  offer_id: string;
  display_name: string;
  description: string;
  pricing_model: "flatRate" | "perUser";
  is_preview: number;
  /** Display position among the publisher's offers. */
  sort_order: DefaultedInteger;
  created_at: string;
  updated_at: string;
}

export interface PlanTable {
  publisher_id: string;
  offer_id: string;
  plan_id: string;
  display_name: string;
  description: string;
  is_private: number;
  /** JSON array of tenant ids allowed to see a private plan. */
  audience: string;
  min_quantity: number | null;
  max_quantity: number | null;
  has_free_trial: number;
  is_stop_sell: number;
  /** JSON array of ISO-3166 alpha-2 market codes. */
  markets: string;
  /** JSON array of BillingTerm. */
  billing_terms: string;
  /** JSON array of MeteringDimension. */
  metering_dimensions: string;
  /** 1 when the plan may offer P4Y/P5Y terms (the official .NET client cannot parse them). */
  allow_extended_terms: DefaultedInteger;
  /** 1 when a purchase is Subscribed at once and announced with a `Subscribe` webhook (no landing page). */
  auto_activation: DefaultedInteger;
  /** Display position among the offer's plans. */
  sort_order: DefaultedInteger;
  created_at: string;
  updated_at: string;
}

export interface SubscriptionTable {
  id: string;
  publisher_id: string;
  offer_id: string;
  plan_id: string;
  name: string;
  status: "PendingFulfillmentStart" | "Subscribed" | "Suspended" | "Unsubscribed";
  quantity: number | null;
  term_unit: string;
  payment_option: string;
  term_start: string | null;
  term_end: string | null;
  auto_renew: number;
  is_test: number;
  is_free_trial: number;
  is_preview: number;
  /** JSON array of Read/Update/Delete. */
  allowed_customer_operations: string;
  sandbox_type: "None" | "Csp";
  session_mode: "None" | "DryRun";
  channel: "direct" | "reseller" | "field";
  market: string;
  /** JSON AadIdentifier. */
  beneficiary: string;
  purchaser: string;
  beneficiary_tenant_id: string;
  purchaser_tenant_id: string;
  created_at: string;
  updated_at: string;
  activated_at: string | null;
  unsubscribed_at: string | null;
  /** Set by activate when activations are delayed; the subscription turns Subscribed once the delay passed. */
  activation_requested_at: Generated<string | null>;
  /** Name of the test clock this subscription runs on; "" for the global clock. */
  test_clock: ColumnType<string, string | undefined, string>;
  /** When the next time-driven transition is due, on the subscription's clock (NULL: none). */
  next_due_at: Generated<string | null>;
  /** Sequence number of the subscription's latest event (the event log numbers events per subscription). */
  event_seq: DefaultedInteger;
  suspended_at: Generated<string | null>;
  /** End of the free-trial month (exclusive), while the subscription is on a trial. */
  trial_ends_at: Generated<string | null>;
  /** End of the 72-hour window in which a cancellation is not charged (recorded for billing). */
  refund_window_ends_at: Generated<string | null>;
  /** The accepted private offer that covered the purchase (the ledger prices terms with it); NULL: list price. */
  private_offer_id: Generated<string | null>;
}

export type OperationAction =
  | "Unsubscribe"
  | "ChangePlan"
  | "ChangeQuantity"
  | "Suspend"
  | "Reinstate"
  | "Renew";
export type OperationStatus = "NotStarted" | "InProgress" | "Succeeded" | "Failed" | "Conflict";

export interface OperationTable {
  id: string;
  subscription_id: string;
  publisher_id: string;
  action: OperationAction;
  status: OperationStatus;
  source: "Partner" | "Azure";
  plan_id: string;
  quantity: number | null;
  activity_id: string;
  error_status_code: string | null;
  error_message: string | null;
  /** When the processor may take the next step on this operation. */
  due_at: string;
  created_at: string;
  updated_at: string;
  /** 1 while the operation is NotStarted or InProgress; NULL once final (backs the one-pending-operation index). */
  pending: number | null;
}

export interface PurchaseTokenTable {
  /** SHA-256 (hex) of the opaque token handed to the browser. */
  token_hash: string;
  subscription_id: string;
  created_at: string;
  expires_at: string;
}

/** Who caused an event. */
export type EventActor = "buyer" | "publisher" | "operator" | "marketplace";

/** The event log: every state change of a subscription, numbered per subscription. */
export interface EventTable {
  /** Global order of recording (autoincrement). */
  position: Generated<number>;
  id: string;
  subscription_id: string;
  publisher_id: string;
  /** 1, 2, 3... per subscription. */
  seq: number;
  /** Purchased, Activated, ChangePlan, ChangeQuantity, Renew, Suspend, Reinstate, Unsubscribe, ... */
  type: string;
  actor: EventActor;
  operation_id: string | null;
  /** When it happened, on the subscription's clock (virtual time when the clock was moved). */
  occurred_at: string;
  /** When it was written, in real time. */
  recorded_at: string;
  /** Deterministic key (e.g. `renew:<subscription>:<term start>`): a transition is recorded once. */
  idempotency_key: string;
  /** JSON details of the change. */
  data: string;
  /** The subscription's clock ("" for the global clock); NULL on events recorded before billing existed. */
  clock: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON: the subscription's billable state after the event (the ledger rebuilds charges from these). */
  snapshot: ColumnType<string | null, string | null | undefined, string | null>;
}

export type WebhookDeliveryStatus = "pending" | "delivered" | "rejected" | "failed";

/** The webhook outbox: one row per event to deliver to the publisher's connection webhook. */
export interface WebhookDeliveryTable {
  /** Stable delivery id, sent with every attempt so receivers can deduplicate. */
  id: string;
  event_id: string;
  subscription_id: string;
  publisher_id: string;
  /** The event's per-subscription sequence number: deliveries of one subscription go out in this order. */
  seq: number;
  action: string;
  /** The payload's `id` (the operation id). */
  operation_id: string;
  /** JSON body, fixed when the event was recorded. */
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: DefaultedInteger;
  next_attempt_at: string;
  first_attempt_at: Generated<string | null>;
  last_attempt_at: Generated<string | null>;
  last_status_code: Generated<number | null>;
  last_error: Generated<string | null>;
  /** The process holding the delivery while an attempt is in flight, until `lease_until`. */
  lease_owner: Generated<string | null>;
  lease_until: Generated<string | null>;
  delivered_at: Generated<string | null>;
  /** For a manual redelivery: the delivery it repeats. */
  redelivery_of: Generated<string | null>;
  created_at: string;
  /** 1 once an out-of-order fault held the delivery back: it no longer blocks later deliveries of its subscription. */
  out_of_order: DefaultedInteger;
}

export interface WebhookAttemptTable {
  id: string;
  delivery_id: string;
  attempt: number;
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  /** delivered, rejected, retry, gave-up */
  outcome: string;
  error: string | null;
  /** First characters of the response body. */
  response_snippet: string | null;
  /** The injected fault that shaped this attempt, if any. */
  fault: string | null;
}

/** Per-publisher HMAC secrets for the optional signature header; the newest unretired one signs. */
export interface WebhookSecretTable {
  id: string;
  publisher_id: string;
  secret: string;
  created_at: string;
  retired_at: string | null;
}

/** Virtual clocks: "" is the global clock; other names are test clocks that group subscriptions. */
export interface ClockTable {
  name: string;
  /** Milliseconds the clock runs ahead of real time. */
  offset_ms: number;
  created_at: string;
  updated_at: string;
}

export interface FaultTable {
  id: string;
  /** webhook or api */
  target: string;
  publisher_id: string | null;
  subscription_id: string | null;
  /** JSON description of the fault (kind, status, latency, probability...). */
  spec: string;
  /** How many more times the fault applies (NULL: until cleared). */
  remaining: number | null;
  seed: number;
  hits: DefaultedInteger;
  created_at: string;
  cleared_at: string | null;
  /** How many times the fault was asked whether it applies (numbers its seeded decisions). */
  consults: DefaultedInteger;
  /** Creation order among faults created in the same millisecond. */
  seq: DefaultedInteger;
}

/** What the built-in demo ISV app saw and did (landings, activations, webhooks, acknowledgements). */
export interface DemoIsvLogTable {
  position: Generated<number>;
  publisher_id: string;
  subscription_id: string | null;
  kind: string;
  summary: string;
  detail: string;
  created_at: string;
  /** The webhook delivery this record accepted (unique per publisher); NULL on other records. */
  delivery_id: string | null;
}

/** Metering: accepted usage summed per UTC day, subscription, dimension and plan (kept on acceptance). */
export interface UsageDailyTable {
  /** The UTC day of `effective_start_time` (`2026-05-02`). */
  usage_day: string;
  subscription_id: string;
  dimension: string;
  plan_id: string;
  publisher_id: string;
  offer_id: string;
  /** Sum of the day's `quantity_micros` (exact integer). */
  quantity_micros: ColumnType<string | number, number | bigint | string, number | bigint | string>;
  /** How many accepted events the sum holds. */
  events: ColumnType<string | number, number | bigint | string, number | bigint | string>;
}

/** Metering: one row per accepted usage event (at most one per subscription, dimension and hour). */
export interface UsageEventTable {
  /** The usageEventId answered to the publisher. */
  id: string;
  subscription_id: string;
  publisher_id: string;
  offer_id: string;
  plan_id: string;
  dimension: string;
  /** Exact decimal text, at most six decimals ("20.5"). */
  quantity: string;
  /** The quantity in millionths of a unit (exact integer; daily sums add these). */
  quantity_micros: ColumnType<number, number | bigint | string, number>;
  /** When the usage happened, normalised to UTC with milliseconds (sorts and compares as text). */
  effective_start_time: string;
  /** `effectiveStartTime` exactly as the publisher sent it (echoed in answers and duplicates). */
  effective_start_sent: string;
  /** The calendar hour of `effective_start_time` (`2026-05-02T10:00:00.000Z`): the duplicate key. */
  hour_bucket: string;
  /** When the event was accepted, on the subscription's business clock. */
  message_time: string;
  /** The ARM-like resource URI of the SaaS purchase at acceptance. */
  resource_uri: string;
  /** When the row was written, in real time. */
  created_at: string;
}

/** A publisher's negotiated prices for one customer (or reseller) tenant on plans of one offer. */
export interface PrivateOfferTable {
  id: string;
  publisher_id: string;
  offer_id: string;
  name: string;
  /** The buyer's (or the reseller's) tenant id, lowercase: Saasport's billing account. */
  customer_tenant_id: string;
  audience: "customer" | "reseller";
  /** ISO days ("2026-05-31"); acceptance is possible to the end of accept_by (UTC). */
  accept_by: string;
  valid_from: string;
  valid_to: string;
  /** pending, accepted or withdrawn; `expired` is derived on read. */
  status: "pending" | "accepted" | "withdrawn";
  created_at: string;
  updated_at: string;
  accepted_at: string | null;
  withdrawn_at: string | null;
}

/** One plan of a private offer: exactly one of discount_percent and absolute_price is set. */
export interface PrivateOfferPlanTable {
  private_offer_id: string;
  plan_id: string;
  /** Exact decimal percentage, 0 < p < 100. */
  discount_percent: string | null;
  /** Price of one payment (per seat on per-user plans), exact decimal in `currency`. */
  absolute_price: string | null;
  currency: string | null;
  /** With an absolute price: JSON object of dimension id → price per unit (exact decimal), or null. */
  dimension_prices: string | null;
}

/** How far the ledger has followed one subscription, and the prices frozen for its terms. */
export interface BillingStateTable {
  subscription_id: string;
  /** The subscription's clock ("" for the global clock). */
  clock: string;
  /** The last event (per-subscription seq) the ledger has taken into account. */
  billed_seq: number;
  /** When the next line falls due on the subscription's clock (NULL: no line is expected). */
  due_at: string | null;
  /**
   * The clock time the ledger was last computed at. Every line that can appear later is dated at most two
   * days before it, so older lines are not offered for insertion again.
   */
  synced_as_of: string | null;
  /** JSON: term prices frozen when first charged (a later catalog change never reprices a term). */
  prices: string;
  updated_at: string;
}

export type LedgerLineKind = "instalment" | "prorationCredit" | "prorationCharge" | "refund" | "overage";

/** One line of the ledger: written once, under a deterministic key, and never changed but for its invoice. */
export interface LedgerLineTable {
  id: string;
  /** Deterministic: the same charge computed twice (or by two processes) is stored once. */
  line_key: string;
  subscription_id: string;
  publisher_id: string;
  offer_id: string;
  plan_id: string;
  /** Who pays: the purchaser's tenant id (the reseller on a reseller purchase). */
  billing_account: string;
  clock: string;
  kind: LedgerLineKind;
  description: string;
  /** ISO day the line is dated (its invoice month). */
  on_day: string;
  /** The days the line pays for (ISO days, both included). */
  period_start: string;
  period_end: string;
  /** Seats for a per-user line, billable units for overage; NULL otherwise. */
  quantity: string | null;
  unit_price: string | null;
  currency: string;
  /** Signed exact decimal ("-70.00" for a credit). */
  amount: string;
  amount_minor: ColumnType<number, number | bigint | string, number>;
  /** The line at list price (reseller and private-offer lines). */
  list_amount: string | null;
  /** List amount − amount on a reseller's line (information only: no money moves for it). */
  reseller_margin: string | null;
  private_offer_id: string | null;
  invoice_id: string | null;
  created_at: string;
}

export type InvoiceStatus = "open" | "paid" | "failed";

/** One invoice per billing account, clock, currency and month. */
export interface InvoiceTable {
  id: string;
  billing_account: string;
  clock: string;
  currency: string;
  /** "2026-03" */
  month: string;
  status: InvoiceStatus;
  total: string;
  total_minor: ColumnType<number, number | bigint | string, number>;
  line_count: number;
  /** Business time: the first instant after the month. */
  issued_at: string;
  paid_at: string | null;
  failed_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Web console sign-ins: one row per session; the cookie holds the session id, the row only its hash. */
export interface ConsoleSessionTable {
  /** SHA-256 (hex) of the session id; the id itself is only in the browser's cookie. */
  id_hash: string;
  /** Who signed in: buyer, reseller, publisher or operator. */
  kind: string;
  /** The buyer's or reseller's tenant (lowercase GUID); null for publishers and the operator. */
  tenant_id: string | null;
  /** The publisher a publisher session acts for; null otherwise. */
  publisher_id: string | null;
  /** The signed-in user (buyers and resellers): a stable object id and email for their buyer tokens. */
  user_object_id: string | null;
  user_email: string | null;
  /** What the console shows as the signed-in persona ("Ada Lovelace, Fabrikam"). */
  display_name: string;
  /** The session's anti-forgery token: every form carries it. */
  csrf_token: string;
  created_at: string;
  expires_at: string;
}
