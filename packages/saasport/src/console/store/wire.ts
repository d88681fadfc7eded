/**
 * The parts of the store API's answers (`/store/v1/...`) that the console shows. The API owns these
 * shapes (src/catalog/buyer-view.ts, src/subscriptions/views.ts, src/billing/routes/invoices,
 * src/private-offers/views.ts); fields the console does not read are left out.
 */
export interface StoreCatalog {
  offers: StoreOffer[];
}

export interface StoreOffer {
  publisherId: string;
  offerId: string;
  displayName: string;
  description: string;
  pricingModel: "flatRate" | "perUser";
  isPreview: boolean;
  plans: StorePlan[];
}

export interface StorePlan {
  planId: string;
  displayName: string;
  description: string;
  isPrivate: boolean;
  hasFreeTrial: boolean;
  seats: { min: number; max: number } | null;
  billingTerms: BillingTerm[];
  meteringDimensions: MeteringDimension[];
  privateOffer: PlanPrivateOffer | null;
}

export interface BillingTerm {
  termUnit: string;
  price: string;
  currency: string;
  paymentOption: string;
}

export interface MeteringDimension {
  id: string;
  displayName: string;
  unitOfMeasure: string;
  pricePerUnit: string;
  currency: string;
}

/** The accepted private offer that gives a plan its private price. */
export interface PlanPrivateOffer {
  privateOfferId?: string;
  name?: string;
  validTo?: string;
  discountPercent?: string;
  pricePerPayment?: string;
  currency?: string;
}

export interface PurchaseAnswer {
  subscriptionId: string;
  landingPageUrl: string;
}

export interface Party {
  tenantId: string;
  emailId?: string;
}

export interface StoreSubscription {
  id: string;
  publisherId: string;
  offerId: string;
  name: string;
  saasSubscriptionStatus: string;
  beneficiary: Party;
  purchaser: Party;
  planId: string;
  quantity?: number;
  term?: { termUnit?: string; startDate?: string; endDate?: string };
  autoRenew: boolean;
  isFreeTrial: boolean;
  allowedCustomerOperations?: string[];
  paymentOption?: string;
  created?: string;
  pendingOperation: { action?: string; status?: string; planId?: string; quantity?: number } | null;
}

export interface ChangeAnswer {
  operationStatus?: string;
}

export interface StoreInvoice {
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
}

export interface StoreInvoiceLine {
  id: string;
  kind: string;
  description: string;
  subscriptionId: string;
  offerId: string;
  planId: string;
  onDay: string;
  quantity: string | null;
  unitPrice: string | null;
  amount: string;
  currency: string;
}

export interface StorePrivateOffer {
  id: string;
  publisherId: string;
  offerId: string;
  offerDisplayName: string;
  name: string;
  acceptBy: string;
  validFrom: string;
  validTo: string;
  status: string;
  acceptedAt: string | null;
  plans: {
    planId: string;
    displayName: string;
    discountPercent?: string;
    absolutePrice?: string;
    billingTerms: {
      termUnit: string;
      paymentOption: string;
      currency: string;
      listPrice: string;
      privatePrice: string;
    }[];
  }[];
}
