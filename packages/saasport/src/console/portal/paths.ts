/** The publisher portal's URLs. */
const segment = encodeURIComponent;

export const portalPaths = {
  home: "/console/portal",
  subscriptions: "/console/portal/subscriptions",
  revenue: "/console/portal/revenue",
  usage: "/console/portal/usage",
  settings: "/console/portal/technical-configuration",
  stylesheet: "/console/portal/portal.css",
};

export function portalSubscriptionPath(subscriptionId: string): string {
  return `${portalPaths.subscriptions}/${segment(subscriptionId)}`;
}

export function redeliverPath(subscriptionId: string, deliveryId: string): string {
  return `${portalSubscriptionPath(subscriptionId)}/deliveries/${segment(deliveryId)}/redeliver`;
}

/** A partner API path with a query string (empty values left out). */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
