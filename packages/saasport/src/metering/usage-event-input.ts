import { parseEffectiveStartTime } from "./effective-time.js";
import { readQuantity } from "./quantity.js";
import { isGuid, subscriptionIdOfResourceUri } from "./resource-uri.js";
import type { Rejection } from "./usage-status.js";

/** The fields of a usage event as sent, kept only when they have the type the schema gives them. */
export interface SentFields {
  resourceId?: string;
  resourceUri?: string;
  quantity?: number;
  dimension?: string;
  effectiveStartTime?: string;
  planId?: string;
}

/** A usage event whose fields are all well formed (whether it is acceptable is decided later). */
export interface UsageEventInput {
  /** The SaaS subscription the event names (lower case), or undefined for a resourceUri of no purchase. */
  subscriptionId: string | undefined;
  /** The resourceUri when that is how the event named its resource. */
  resourceUri: string | undefined;
  quantityMicros: bigint;
  quantityDecimal: string;
  quantity: number;
  dimension: string;
  effectiveStartTime: Date;
  effectiveStartSent: string;
  planId: string;
}

export type ReadResult =
  | { ok: true; event: UsageEventInput; sent: SentFields }
  | { ok: false; problems: Rejection[]; sent: SentFields };

const maxTextLength = 200;

/**
 * Checks the shape of one usage event: `resourceId` (a GUID) or `resourceUri`, never both; a quantity
 * above zero; a dimension; an ISO date-time; a plan id. Every problem is reported, first one first.
 */
export function readUsageEvent(raw: unknown): ReadResult {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      sent: {},
      problems: [
        {
          status: "BadArgument",
          target: "usageEventRequest",
          message: "A usage event must be a JSON object.",
        },
      ],
    };
  }
  const body = raw as Record<string, unknown>;
  const effective = parseEffectiveStartTime(body.effectiveStartTime);
  const sent = sentFieldsOf(body, effective !== undefined);
  const problems: Rejection[] = [];
  const bad = (target: string, message: string) => problems.push({ status: "BadArgument", target, message });

  const hasId = body.resourceId !== undefined && body.resourceId !== null;
  const hasUri = body.resourceUri !== undefined && body.resourceUri !== null;
  let subscriptionId: string | undefined;
  let resourceUri: string | undefined;
  if (hasId && hasUri) {
    bad("resourceId", "Use either resourceId or resourceUri, never both.");
  } else if (!hasId && !hasUri) {
    bad("resourceId", "The resourceId is required.");
  } else if (hasId) {
    if (typeof body.resourceId !== "string" || !isGuid(body.resourceId)) {
      bad("resourceId", "The resourceId must be the GUID of the SaaS subscription.");
    } else {
      subscriptionId = body.resourceId.toLowerCase();
    }
  } else if (
    typeof body.resourceUri !== "string" ||
    body.resourceUri === "" ||
    body.resourceUri.length > 1000
  ) {
    bad("resourceUri", "The resourceUri must be the resource URI of the SaaS purchase.");
  } else {
    resourceUri = body.resourceUri;
    subscriptionId = subscriptionIdOfResourceUri(body.resourceUri);
  }

  const quantity = readQuantity(body.quantity);
  if (!quantity.ok) {
    problems.push({
      status: body.quantity === undefined ? "BadArgument" : "InvalidQuantity",
      target: "quantity",
      message: body.quantity === undefined ? "The quantity is required." : quantity.problem,
    });
  }
  const dimension = requiredText(body.dimension);
  if (dimension === undefined)
    bad("dimension", "The dimension is required (the id of a metering dimension).");
  if (effective === undefined) {
    bad(
      "effectiveStartTime",
      body.effectiveStartTime === undefined
        ? "The effectiveStartTime is required."
        : "The effectiveStartTime must be an ISO-8601 date-time in UTC, such as 2026-05-02T10:00:00Z.",
    );
  }
  const planId = requiredText(body.planId);
  if (planId === undefined) bad("planId", "The planId is required (the plan of the purchase).");

  if (problems.length > 0 || !quantity.ok || dimension === undefined || !effective || planId === undefined) {
    return { ok: false, problems, sent };
  }
  return {
    ok: true,
    sent,
    event: {
      subscriptionId,
      resourceUri,
      quantityMicros: quantity.micros,
      quantityDecimal: quantity.decimal,
      quantity: quantity.value,
      dimension,
      effectiveStartTime: effective,
      effectiveStartSent: body.effectiveStartTime as string,
      planId,
    },
  };
}

function requiredText(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && value.length <= maxTextLength ? value : undefined;
}

/**
 * What a failed batch entry may echo: the fields that were sent with the schema's types (the
 * effectiveStartTime when it reads as a date-time, which the caller has already checked).
 */
function sentFieldsOf(body: Record<string, unknown>, validEffectiveStartTime: boolean): SentFields {
  const sent: SentFields = {};
  const text = (value: unknown) => typeof value === "string" && value.length <= 1000;
  if (text(body.resourceId) && typeof body.resourceId === "string" && isGuid(body.resourceId))
    sent.resourceId = body.resourceId;
  if (text(body.resourceUri)) sent.resourceUri = body.resourceUri as string;
  if (typeof body.quantity === "number" && Number.isFinite(body.quantity)) sent.quantity = body.quantity;
  if (text(body.dimension)) sent.dimension = body.dimension as string;
  if (validEffectiveStartTime) sent.effectiveStartTime = body.effectiveStartTime as string;
  if (text(body.planId)) sent.planId = body.planId as string;
  return sent;
}
