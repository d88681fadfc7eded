/** The console's storefront URLs. */
const segment = encodeURIComponent;

export const storePaths = {
  offers: "/console/store",
  subscriptions: "/console/store/subscriptions",
  invoices: "/console/store/invoices",
  invoicesCsv: "/console/store/invoices.csv",
  privateOffers: "/console/store/private-offers",
};

export function planPath(publisherId: string, offerId: string, planId: string): string {
  return `/console/store/offers/${segment(publisherId)}/${segment(offerId)}/${segment(planId)}`;
}

export function subscriptionPath(subscriptionId: string): string {
  return `/console/store/subscriptions/${segment(subscriptionId)}`;
}

export function invoicePath(invoiceId: string): string {
  return `/console/store/invoices/${segment(invoiceId)}`;
}
