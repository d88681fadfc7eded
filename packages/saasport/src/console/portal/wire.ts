/**
 * The parts of the partner API's answers (`/partner/v1/...`) that the portal shows. The API owns these
 * shapes (src/catalog/views.ts, src/events/view.ts, src/webhooks/routes/schemas.ts,
 * src/billing/routes/revenue/schemas.ts, src/metering/routes/partner-usage.ts).
 */
export interface PartnerOffer {
  id: string;
  displayName: string;
  description: string;
  pricingModel: string;
  preview: boolean;
  plans: PartnerPlan[];
}

export interface PartnerPlan {
  id: string;
  displayName: string;
  description: string;
  private: boolean;
  seats: { min: number; max: number } | null;
  freeTrial: boolean;
  stopSell: boolean;
  billingTerms: { termUnit: string; price: string; paymentOption: string; currency?: string }[];
  meteredDimensions: { id: string; displayName: string; unitOfMeasure: string; pricePerUnit: string }[];
}

export interface PartnerEvent {
  id: string;
  position: number;
  subscriptionId: string;
  seq: number;
  type: string;
  actor: string;
  operationId: string | null;
  occurredAt: string;
  recordedAt: string;
  data: unknown;
}

export interface Delivery {
  id: string;
  eventId: string;
  subscriptionId: string;
  seq: number;
  action: string;
  operationId: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  redeliveryOf: string | null;
  createdAt: string;
}

export interface DeliveryAttempt {
  attempt: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  outcome: string;
  error: string | null;
  responseSnippet: string | null;
  fault: string | null;
}

export interface DeliveryDetail extends Delivery {
  payload: unknown;
  attemptLog: DeliveryAttempt[];
}

export interface RevenueMonth {
  month: string;
  currency: string;
  total: string;
  invoiced: string;
  collected: string;
  offers: { offerId: string; planId: string; total: string }[];
}

export interface Revenue {
  from: string;
  to: string;
  months: RevenueMonth[];
}

export interface Payouts {
  storeFeePercent: string;
  statements: {
    month: string;
    currency: string;
    collected: string;
    storeFee: string;
    payout: string;
    invoices: number;
    lines: number;
  }[];
}

export interface UsageRow {
  day: string;
  subscriptionId: string;
  offerId: string;
  planId: string;
  dimension: string;
  quantity: string;
  events: number;
}

export interface TechnicalConfiguration {
  publisherId: string;
  tenantId: string;
  appId: string;
  landingPageUrl: string;
  webhookUrl: string;
}

export interface WebhookSecret {
  id: string;
  createdAt: string;
  retiredAt: string | null;
}
