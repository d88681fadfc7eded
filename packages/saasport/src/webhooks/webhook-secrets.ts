import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/tables.js";
import { newWebhookSecret } from "./signature.js";

/** More unretired secrets than this would only lengthen every signature header. */
export const maxActiveWebhookSecrets = 3;

export interface WebhookSecretView {
  id: string;
  createdAt: string;
  retiredAt: string | null;
}

export interface CreatedWebhookSecret extends WebhookSecretView {
  secret: string;
}

export interface WebhookSecretStore {
  list(publisherId: string): Promise<WebhookSecretView[]>;
  /** Undefined when the publisher already has the maximum of unretired secrets. */
  create(publisherId: string, now: string): Promise<CreatedWebhookSecret | undefined>;
  /** Undefined when the publisher has no such secret; retiring twice keeps the first time. */
  retire(publisherId: string, id: string, now: string): Promise<WebhookSecretView | undefined>;
  /** The secrets that sign the publisher's calls (newest first), cached briefly: read on every call. */
  signingSecrets(publisherId: string): Promise<string[]>;
}

export function createWebhookSecretStore(db: Kysely<Database>, cacheMs = 1000): WebhookSecretStore {
  const cache = new Map<string, { secrets: string[]; expiresAt: number }>();
  const view = (row: { id: string; created_at: string; retired_at: string | null }): WebhookSecretView => ({
    id: row.id,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
  });
  return {
    async list(publisherId) {
      const rows = await db
        .selectFrom("webhook_secrets")
        .select(["id", "created_at", "retired_at"])
        .where("publisher_id", "=", publisherId)
        .orderBy("created_at", "desc")
        .orderBy("id")
        .execute();
      return rows.map(view);
    },
    async create(publisherId, now) {
      const active = await db
        .selectFrom("webhook_secrets")
        .select((eb) => eb.fn.countAll<number>().as("count"))
        .where("publisher_id", "=", publisherId)
        .where("retired_at", "is", null)
        .executeTakeFirstOrThrow();
      if (Number(active.count) >= maxActiveWebhookSecrets) return undefined;
      const row = {
        id: randomUUID(),
        publisher_id: publisherId,
        secret: newWebhookSecret(),
        created_at: now,
      };
      await db
        .insertInto("webhook_secrets")
        .values({ ...row, retired_at: null })
        .execute();
      cache.delete(publisherId);
      return { id: row.id, createdAt: now, retiredAt: null, secret: row.secret };
    },
    async retire(publisherId, id, now) {
      await db
        .updateTable("webhook_secrets")
        .set({ retired_at: now })
        .where("publisher_id", "=", publisherId)
        .where("id", "=", id)
        .where("retired_at", "is", null)
        .execute();
      cache.delete(publisherId);
      const row = await db
        .selectFrom("webhook_secrets")
        .select(["id", "created_at", "retired_at"])
        .where("publisher_id", "=", publisherId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row && view(row);
    },
    async signingSecrets(publisherId) {
      const hit = cache.get(publisherId);
      if (hit && hit.expiresAt > Date.now()) return hit.secrets;
      const rows = await db
        .selectFrom("webhook_secrets")
        .select("secret")
        .where("publisher_id", "=", publisherId)
        .where("retired_at", "is", null)
        .orderBy("created_at", "desc")
        .execute();
      const secrets = rows.map((row) => row.secret);
      if (cache.size > 10_000) cache.clear();
      cache.set(publisherId, { secrets, expiresAt: Date.now() + cacheMs });
      return secrets;
    },
  };
}
