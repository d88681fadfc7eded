import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Clock } from "../clock/clock.js";
import type { ClockService } from "../clock/clock-service.js";
import type { Settings } from "../config/settings.js";
import type { Dialect } from "../db/connection.js";
import type { Database, EventActor } from "../db/tables.js";
import type { Signals } from "../events/signals.js";
import type { WebhookFaultSource } from "../faults/directive.js";
import type { PublisherAuthenticator } from "../identity/principal.js";
import type { DeliveryListener } from "../webhooks/listener.js";

/** What every module gets when it registers its routes. Modules take the narrow parts they need. */
export interface AppContext {
  settings: Settings;
  db: Kysely<Database>;
  dialect: Dialect;
  /**
   * Real time (or a test's manual clock): token lifetimes, webhook retries, ack windows, leases.
   * Subscription dates and lifecycle transitions use business time from `clocks` instead.
   */
  clock: Clock;
  /** Business time: the global virtual clock and named test clocks. */
  clocks: ClockService;
  /** In-process wake-ups after commits (webhook dispatcher, processor, event stream). */
  signals: Signals;
  /** Absolute base URL of this server (no trailing slash). */
  baseUrl: string;
  log: FastifyBaseLogger;
  /** True once start-up is complete (catalog loaded, workers running); /healthz answers 503 before. */
  ready: boolean;
  /** SHA-256 (hex) of the operator key. */
  operatorKeyHash: string;
  /** Verifies publisher bearer tokens (for /api and /partner). */
  publisherAuth: PublisherAuthenticator;
  /** Told about webhook delivery outcomes (the subscriptions module adds its listener). */
  deliveryListeners: DeliveryListener[];
  /**
   * Starts a marketplace-side change of a subscription (set by the fulfillment module): billing suspends
   * and reinstates subscriptions through it when an invoice fails or is paid after all.
   */
  marketplaceChange:
    | ((
        subscriptionId: string,
        change: { kind: "paymentFailed" } | { kind: "paymentRecovered" },
        actor: EventActor,
      ) => Promise<unknown>)
    | undefined;
  /** Told after a clock moved and its transitions were applied (billing catches up and issues invoices). */
  clockMoveListeners: ((clockName: string) => Promise<unknown>)[];
  /** Injected webhook faults (set by the faults module; undefined when none is registered). */
  webhookFaults: WebhookFaultSource | undefined;
}
