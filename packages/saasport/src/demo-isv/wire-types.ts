/**
 * The parts of the Fulfillment API's answers the demo app uses, read defensively: like a real ISV app
 * it tolerates unknown fields and refuses answers that lack what it needs.
 */
export interface Party {
  emailId: string | undefined;
  tenantId: string | undefined;
}

export interface MarketplaceSubscription {
  id: string;
  name: string;
  offerId: string;
  planId: string;
  quantity: number | undefined;
  status: string;
  beneficiary: Party;
  purchaser: Party;
  termUnit: string | undefined;
  startDate: string | undefined;
  endDate: string | undefined;
  isFreeTrial: boolean;
  autoRenew: boolean;
}

export interface MarketplaceOperation {
  id: string;
  subscriptionId: string;
  action: string;
  status: string;
  planId: string | undefined;
  quantity: number | undefined;
}

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const integer = (value: unknown): number | undefined =>
  Number.isInteger(value) ? (value as number) : undefined;

function party(value: unknown): Party {
  const object = asObject(value);
  return { emailId: text(object?.emailId), tenantId: text(object?.tenantId) };
}

export function readSubscription(value: unknown): MarketplaceSubscription | undefined {
  const object = asObject(value);
  const id = text(object?.id);
  const planId = text(object?.planId);
  const status = text(object?.saasSubscriptionStatus);
  if (!object || id === undefined || planId === undefined || status === undefined) return undefined;
  const term = asObject(object.term);
  return {
    id,
    name: text(object.name) ?? "",
    offerId: text(object.offerId) ?? "",
    planId,
    quantity: integer(object.quantity),
    status,
    beneficiary: party(object.beneficiary),
    purchaser: party(object.purchaser),
    termUnit: text(term?.termUnit),
    startDate: text(term?.startDate),
    endDate: text(term?.endDate),
    isFreeTrial: object.isFreeTrial === true,
    autoRenew: object.autoRenew !== false,
  };
}

export function readOperation(value: unknown): MarketplaceOperation | undefined {
  const object = asObject(value);
  const id = text(object?.id);
  const subscriptionId = text(object?.subscriptionId);
  const action = text(object?.action);
  const status = text(object?.status);
  if (
    !object ||
    id === undefined ||
    subscriptionId === undefined ||
    action === undefined ||
    status === undefined
  )
    return undefined;
  return {
    id,
    subscriptionId,
    action,
    status,
    planId: text(object.planId),
    quantity: integer(object.quantity),
  };
}
