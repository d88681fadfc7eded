/** What the operator APIs answer, as far as the operator console reads it. */

export interface ClockView {
  testClock: string | null;
  now: string;
  offsetMs: number;
  realNow: string;
}

export interface ClockMove {
  before: string;
  now: string;
  testClock: string | null;
  transitions: { renewed: number; trialsConverted: number; unsubscribed: number };
  overdue: number;
}

export interface OperatorSubscription {
  id: string;
  publisherId: string;
  offerId: string;
  name: string;
  saasSubscriptionStatus: string;
  planId: string;
  quantity?: number;
  term: { termUnit: string; startDate?: string; endDate?: string; chargeDuration?: string };
  autoRenew: boolean;
  isFreeTrial: boolean;
  beneficiary: { tenantId: string; emailId: string };
  purchaser: { tenantId: string; emailId: string };
  channel: string;
  paymentOption: string;
  testClock: string | null;
  activated: string | null;
  suspended: string | null;
  unsubscribed: string | null;
  created: string;
  nextTransition: { kind: string; at: string } | null;
  pendingOperation: { id: string; action: string; status: string } | null;
  /** The billing events the operator may report now ("payment-failed", "payment-recovered", "renew"). */
  allowedBillingEvents: string[];
}

export interface SubscriptionPage {
  subscriptions: OperatorSubscription[];
  nextAfter: string | null;
}

export interface ChangeAnswer {
  operationStatus?: string;
  saasSubscriptionStatus?: string;
}

export interface OperatorInvoice {
  id: string;
  billingAccount: string;
  month: string;
  currency: string;
  status: string;
  total: string;
  lineCount: number;
  issuedAt: string;
  paidAt: string | null;
  failedAt: string | null;
  testClock: string | null;
}

export interface OperatorInvoiceLine {
  id: string;
  kind: string;
  description: string;
  subscriptionId: string;
  publisherId: string;
  offerId: string;
  planId: string;
  onDay: string;
  quantity: number | null;
  unitPrice: string | null;
  amount: string;
  currency: string;
}

export interface PaymentAnswer {
  invoice: OperatorInvoice;
  suspended: { subscriptionId: string }[];
  reinstated: { subscriptionId: string }[];
  unchanged: { subscriptionId: string; reason: string }[];
}

export interface PayoutStatement {
  publisherId: string;
  month: string;
  currency: string;
  collected: string;
  storeFee: string;
  payout: string;
  invoices: number;
  lines: number;
}

export interface OperatorEvent {
  id: string;
  position: number;
  subscriptionId: string;
  publisherId: string;
  seq: number;
  type: string;
  actor: string;
  occurredAt: string;
  recordedAt: string;
}

export interface PublisherView {
  id: string;
  displayName: string;
  tenantId: string;
  appId: string;
  landingPageUrl: string;
  webhookUrl: string;
}

export interface FaultView {
  id: string;
  target: string;
  publisherId: string | null;
  subscriptionId: string | null;
  kind: string;
  status?: number;
  count: number | null;
  remaining: number | null;
  hits: number;
  active: boolean;
  label: string;
  createdAt: string;
}
