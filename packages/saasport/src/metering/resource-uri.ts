/**
 * The ARM-like resource URI the live Metering API answers for a SaaS purchase:
 * `/subscriptions/{azureSubscriptionId}/resourceGroups/{group}/providers/Microsoft.SaaS/resources/{name}`.
 *
 * Saasport has no Azure subscriptions, so each SaaS subscription gets a stable stand-in: its id with
 * every hex digit XOR-ed with a fixed mask. The mapping is its own inverse, so a `resourceUri` sent
 * instead of a `resourceId` leads straight back to the subscription.
 */

export const resourceGroup = "saasport-marketplace";
const mask = "5a5b0b7a-3c1d-4e2f-9a8b-7c6d5e4f3a2b";
const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return guidPattern.test(value);
}

const hexDigits = "0123456789abcdef";
/** The value of each hex digit character (either case), -1 for any other character. */
const hexValues = new Int8Array(128).fill(-1);
for (let value = 0; value < 16; value++) {
  hexValues[hexDigits.charCodeAt(value)] = value;
  hexValues[hexDigits.toUpperCase().charCodeAt(value)] = value;
}
const maskValues = Array.from(mask, (char) => (char === "-" ? -1 : Number.parseInt(char, 16)));

/** The stand-in Azure subscription id of a SaaS subscription (and back: the function is its own inverse). */
export function azureSubscriptionIdOf(subscriptionId: string): string {
  let out = "";
  for (let index = 0; index < subscriptionId.length; index++) {
    const code = subscriptionId.charCodeAt(index);
    const value = code < 128 ? (hexValues[code] as number) : -1;
    const maskValue = maskValues[index] ?? -1;
    // Only GUIDs are passed in; anything else keeps its character, lower-cased, as before.
    out +=
      value === -1 || maskValue === -1
        ? (subscriptionId[index] as string).toLowerCase()
        : hexDigits[value ^ maskValue];
  }
  return out;
}

export const subscriptionIdOfAzureSubscription = azureSubscriptionIdOf;

/** The resource URI of a SaaS purchase; the purchase name is URI-encoded (names may hold spaces). */
export function resourceUriOf(subscription: { id: string; name: string }): string {
  return `/subscriptions/${azureSubscriptionIdOf(subscription.id)}/resourceGroups/${resourceGroup}/providers/Microsoft.SaaS/resources/${encodeURIComponent(subscription.name)}`;
}

const uriPattern =
  /^\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/[^/]+\/providers\/Microsoft\.SaaS\/resources\/[^/]+$/i;

/**
 * The SaaS subscription a resource URI points at, or undefined when the text is not the URI of a SaaS
 * purchase. The caller still compares the whole URI with `resourceUriOf` of the row it finds.
 */
export function subscriptionIdOfResourceUri(uri: string): string | undefined {
  const match = uriPattern.exec(uri);
  const azureId = match?.[1];
  if (!azureId || !isGuid(azureId)) return undefined;
  return subscriptionIdOfAzureSubscription(azureId);
}

/** Resource URIs compare without regard to case, as ARM ids do, and with or without the name encoded. */
export function sameResourceUri(a: string, b: string): boolean {
  return decoded(a).toLowerCase() === decoded(b).toLowerCase();
}

function decoded(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}
