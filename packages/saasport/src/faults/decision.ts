import type { WebhookFault } from "./directive.js";
import type { FaultSpec } from "./spec.js";

/**
 * A number in [0, 1) that depends only on the seed and the consultation number n (1, 2, 3...):
 * the seed is mixed, stepped n times by the golden-ratio increment (splitmix32) and mixed again
 * with murmur3's finaliser. The same seed gives the same sequence on any machine and database.
 */
export function unitDraw(seed: number, n: number): number {
  return mix32((mix32(seed >>> 0) + Math.imul(n, 0x9e3779b9)) >>> 0) / 2 ** 32;
}

function mix32(value: number): number {
  let z = value;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** Whether a fault with this seed and probability applies the n-th time it is asked. */
export function fires(seed: number, n: number, probability: number): boolean {
  if (probability >= 1) return true;
  if (probability <= 0) return false;
  return unitDraw(seed, n) < probability;
}

/** Who a fault is limited to; null means any. */
export interface FaultScope {
  publisherId: string | null;
  subscriptionId: string | null;
}

/** What is being faulted: a delivery (both known) or an /api call (either may be unknown). */
export interface FaultSubject {
  publisherId?: string | undefined;
  subscriptionId?: string | undefined;
}

/**
 * A subscription-scoped fault applies only to that subscription, a publisher-scoped one to all of
 * the publisher's subscriptions and calls, an unscoped one to everything.
 */
export function appliesTo(scope: FaultScope, subject: FaultSubject): boolean {
  if (scope.publisherId !== null && scope.publisherId !== subject.publisherId) return false;
  if (scope.subscriptionId !== null && scope.subscriptionId !== subject.subscriptionId) return false;
  return true;
}

export interface Ordered {
  id: string;
  createdAt: string;
  seq: number;
}

/** When several faults match, the oldest active one decides: creation time, then creation order. */
export function oldestFirst<T extends Ordered>(faults: readonly T[]): T[] {
  return [...faults].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.seq - b.seq || a.id.localeCompare(b.id),
  );
}

/** The directive the webhook dispatcher obeys for a webhook fault's spec. */
export function webhookFaultOf(spec: FaultSpec): WebhookFault {
  switch (spec.kind) {
    case "status":
      return { kind: "status", status: spec.status ?? 500 };
    case "timeout":
      return { kind: "timeout" };
    case "delay":
      return { kind: "delay", ms: spec.delayMs ?? 0 };
    case "duplicate":
      return { kind: "duplicate" };
    case "outOfOrder":
      return { kind: "outOfOrder", holdMs: spec.holdMs ?? 0 };
    case "latency":
      throw new Error("latency is an /api fault");
  }
}

/** A short description for logs and listings, e.g. `fault 3f2a1b2c: status 503`. */
export function labelOf(id: string, spec: FaultSpec): string {
  return `fault ${id.slice(0, 8)}: ${effectOf(spec)}`;
}

function effectOf(spec: FaultSpec): string {
  switch (spec.kind) {
    case "status":
      return `status ${spec.status}`;
    case "timeout":
      return "timeout";
    case "delay":
      return `delay ${spec.delayMs} ms`;
    case "duplicate":
      return "duplicate";
    case "outOfOrder":
      return `out of order, held ${spec.holdMs} ms`;
    case "latency":
      return `latency ${spec.delayMs} ms`;
  }
}

/**
 * The subscription an /api call is about: the `subscriptionId` path parameter, or the `resourceId`
 * of a metering usage event. Undefined for calls about no single subscription (list, resolve).
 */
export function subscriptionOfApiCall(params: unknown, body: unknown): string | undefined {
  const fromPath = (params as { subscriptionId?: unknown } | null | undefined)?.subscriptionId;
  if (typeof fromPath === "string" && fromPath) return fromPath;
  const fromBody = (body as { resourceId?: unknown } | null | undefined)?.resourceId;
  if (typeof fromBody === "string" && fromBody) return fromBody;
  return undefined;
}
