import type { CatalogReader } from "../catalog/repository.js";
import type { Clock } from "../clock/clock.js";
import type { ClockService } from "../clock/clock-service.js";
import { toStored } from "../db/time.js";
import { timeOrderedId } from "../db/time-ordered-id.js";
import { hourBucketOf } from "./effective-time.js";
import type { MeteringSubscriptionRow, NewUsageEvent, UsageEventRow, UsageRepository } from "./repository.js";
import { resourceUriOf } from "./resource-uri.js";
import { readUsageEvent, type SentFields, type UsageEventInput } from "./usage-event-input.js";
import { decideUsage } from "./usage-rules.js";
import type { Rejection } from "./usage-status.js";
import type { AcceptedUsage } from "./wire-format.js";

export interface IngestionDeps {
  usage: UsageRepository;
  catalog: CatalogReader;
  clocks: ClockService;
  /** Real time, for `created_at`. */
  clock: Clock;
}

/** What became of one submitted event. */
export type IngestOutcome =
  | { kind: "accepted"; accepted: AcceptedUsage }
  | { kind: "duplicate"; accepted: AcceptedUsage; sent: SentFields; messageTime: string }
  | { kind: "rejected"; problems: Rejection[]; sent: SentFields; messageTime: string };

interface Candidate {
  index: number;
  row: NewUsageEvent;
  accepted: AcceptedUsage;
  sent: SentFields;
}

/**
 * Takes a batch of raw usage events (one for POST /usageEvent): checks each in memory, reads the
 * batch's subscriptions in one query and the catalog through the cache, and inserts every acceptable
 * event in one statement. The unique index decides duplicates, so an event answered Accepted is
 * committed and no other request can have the same hour. Within a batch the first event of a key wins.
 */
export async function ingestUsage(
  deps: IngestionDeps,
  callerPublisherId: string,
  raws: readonly unknown[],
): Promise<IngestOutcome[]> {
  const read = raws.map(readUsageEvent);
  const ids = new Set<string>();
  for (const result of read)
    if (result.ok && result.event.subscriptionId) ids.add(result.event.subscriptionId);
  const rows = new Map((await deps.usage.subscriptions([...ids])).map((row) => [row.id, row]));
  const plans = await catalogFacts(deps.catalog, callerPublisherId, rows.values());
  const createdAt = toStored(deps.clock.now());
  // Once per request: the time on each clock the batch's subscriptions are on, each subscription's URI.
  const clockTimes = new Map<string, { now: Date; messageTime: string }>();
  const timeOn = (clock: string | undefined) => {
    const key = clock ?? "";
    let time = clockTimes.get(key);
    if (!time) {
      const now = deps.clocks.now(clock);
      time = { now, messageTime: toStored(now) };
      clockTimes.set(key, time);
    }
    return time;
  };
  const uris = new Map<string, string>();
  const uriOf = (subscription: MeteringSubscriptionRow) => {
    let uri = uris.get(subscription.id);
    if (uri === undefined) {
      uri = resourceUriOf(subscription);
      uris.set(subscription.id, uri);
    }
    return uri;
  };

  const outcomes: IngestOutcome[] = new Array(raws.length);
  const candidates: Candidate[] = [];
  const firstOfKey = new Map<string, Candidate>();
  const laterOfKey: Array<{ index: number; first: Candidate; sent: SentFields; messageTime: string }> = [];
  read.forEach((result, index) => {
    if (!result.ok) {
      outcomes[index] = {
        kind: "rejected",
        problems: result.problems,
        sent: result.sent,
        messageTime: timeOn(undefined).messageTime,
      };
      return;
    }
    const { event } = result;
    const subscription = event.subscriptionId ? rows.get(event.subscriptionId) : undefined;
    const { now, messageTime } = timeOn(subscription?.test_clock);
    const facts = subscription ? plans.get(planKey(subscription)) : undefined;
    const rejection = decideUsage({
      event,
      subscription,
      callerPublisherId,
      pricingModel: facts?.pricingModel,
      dimensions: facts?.dimensions,
      now,
    });
    if (rejection || !subscription) {
      outcomes[index] = {
        kind: "rejected",
        problems: rejection ? [rejection] : [],
        sent: result.sent,
        messageTime,
      };
      return;
    }
    const candidate = candidateOf(
      index,
      event,
      subscription,
      uriOf(subscription),
      result.sent,
      messageTime,
      createdAt,
    );
    const key = dedupeKey(candidate.row);
    const first = firstOfKey.get(key);
    if (first) {
      laterOfKey.push({ index, first, sent: result.sent, messageTime });
      return;
    }
    firstOfKey.set(key, candidate);
    candidates.push(candidate);
  });

  const inserted = await deps.usage.insertNew(candidates.map((candidate) => candidate.row));
  const lost = candidates.filter((candidate) => !inserted.has(candidate.row.id));
  const holders = new Map(
    (
      await deps.usage.acceptedFor(
        lost.map(({ row }) => ({
          subscriptionId: row.subscription_id,
          dimension: row.dimension,
          hourBucket: row.hour_bucket,
        })),
      )
    ).map((row) => [dedupeKey(row), acceptedOf(row)]),
  );
  /** The event that holds a key: the candidate itself when it was inserted, else the stored one. */
  const holderOf = (candidate: Candidate): AcceptedUsage | undefined =>
    inserted.has(candidate.row.id) ? candidate.accepted : holders.get(dedupeKey(candidate.row));

  for (const candidate of candidates) {
    const holder = holderOf(candidate);
    outcomes[candidate.index] =
      holder === candidate.accepted
        ? { kind: "accepted", accepted: candidate.accepted }
        : duplicateOrError(holder, candidate.sent, candidate.accepted.messageTime);
  }
  for (const later of laterOfKey) {
    outcomes[later.index] = duplicateOrError(holderOf(later.first), later.sent, later.messageTime);
  }
  return outcomes;
}

function duplicateOrError(
  holder: AcceptedUsage | undefined,
  sent: SentFields,
  messageTime: string,
): IngestOutcome {
  if (holder) return { kind: "duplicate", accepted: holder, sent, messageTime };
  // The key was taken and released again (a concurrent insert rolled back): the client may retry.
  return {
    kind: "rejected",
    sent,
    messageTime,
    problems: [
      {
        status: "Error",
        target: "usageEventRequest",
        message: "The usage event could not be recorded; send it again.",
      },
    ],
  };
}

interface PlanFacts {
  pricingModel: "flatRate" | "perUser" | undefined;
  dimensions: readonly { id: string }[] | undefined;
}

const planKey = (row: Pick<MeteringSubscriptionRow, "publisher_id" | "offer_id" | "plan_id">) =>
  `${row.publisher_id}\u0000${row.offer_id}\u0000${row.plan_id}`;

/** The pricing model and dimensions of each plan the caller's subscriptions are on (cached reads). */
async function catalogFacts(
  catalog: CatalogReader,
  callerPublisherId: string,
  subscriptions: Iterable<MeteringSubscriptionRow>,
): Promise<Map<string, PlanFacts>> {
  const facts = new Map<string, PlanFacts>();
  for (const row of subscriptions) {
    const key = planKey(row);
    if (row.publisher_id !== callerPublisherId || facts.has(key)) continue;
    const [offer, plan] = await Promise.all([
      catalog.getOffer(row.publisher_id, row.offer_id),
      catalog.getPlan(row.publisher_id, row.offer_id, row.plan_id),
    ]);
    facts.set(key, { pricingModel: offer?.pricingModel, dimensions: plan?.meteringDimensions });
  }
  return facts;
}

function candidateOf(
  index: number,
  event: UsageEventInput,
  subscription: MeteringSubscriptionRow,
  resourceUri: string,
  sent: SentFields,
  messageTime: string,
  createdAt: string,
): Candidate {
  const id = timeOrderedId();
  const row: NewUsageEvent = {
    id,
    subscription_id: subscription.id,
    publisher_id: subscription.publisher_id,
    offer_id: subscription.offer_id,
    plan_id: subscription.plan_id,
    dimension: event.dimension,
    quantity: event.quantityDecimal,
    quantity_micros: event.quantityMicros.toString(),
    effective_start_time: toStored(event.effectiveStartTime),
    effective_start_sent: event.effectiveStartSent,
    hour_bucket: toStored(hourBucketOf(event.effectiveStartTime)),
    message_time: messageTime,
    resource_uri: resourceUri,
    created_at: createdAt,
  };
  return {
    index,
    row,
    sent,
    accepted: {
      id,
      subscriptionId: subscription.id,
      resourceUri,
      quantity: event.quantity,
      dimension: event.dimension,
      effectiveStartSent: event.effectiveStartSent,
      planId: subscription.plan_id,
      messageTime,
    },
  };
}

const dedupeKey = (row: Pick<UsageEventRow, "subscription_id" | "dimension" | "hour_bucket">) =>
  `${row.subscription_id}\u0000${row.dimension}\u0000${row.hour_bucket}`;

export function acceptedOf(row: UsageEventRow): AcceptedUsage {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    resourceUri: row.resource_uri,
    quantity: Number(row.quantity),
    dimension: row.dimension,
    effectiveStartSent: row.effective_start_sent,
    planId: row.plan_id,
    messageTime: row.message_time,
  };
}
