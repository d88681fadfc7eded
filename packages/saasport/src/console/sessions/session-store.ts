import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../db/tables.js";
import { toStored } from "../../db/time.js";
import type { Persona, PersonaKind } from "./persona.js";

/** A signed-in browser. */
export interface ConsoleSession {
  persona: Persona;
  /** The value every form of this session must post back. */
  csrfToken: string;
  expiresAt: Date;
}

export interface SessionStore {
  /** Starts a session; the returned id goes into the cookie and is never stored. */
  create(persona: Persona, now: Date): Promise<{ id: string; session: ConsoleSession }>;
  /** The live session the cookie's id names, or undefined (unknown, expired, malformed). */
  find(id: string, now: Date): Promise<ConsoleSession | undefined>;
  remove(id: string): Promise<void>;
}

const kinds: readonly PersonaKind[] = ["buyer", "reseller", "publisher", "operator"];
const idPattern = /^[A-Za-z0-9_-]{43}$/;

const hashOf = (id: string) => createHash("sha256").update(id, "utf8").digest("hex");

export function createSessionStore(db: Kysely<Database>, lifetimeMs: number): SessionStore {
  return {
    async create(persona, now) {
      // Sign-ins are rare: sweeping expired sessions here keeps the table small without a worker.
      await db.deleteFrom("console_sessions").where("expires_at", "<=", toStored(now)).execute();
      const id = randomBytes(32).toString("base64url");
      const session: ConsoleSession = {
        persona,
        csrfToken: randomBytes(32).toString("base64url"),
        expiresAt: new Date(now.getTime() + lifetimeMs),
      };
      await db
        .insertInto("console_sessions")
        .values({
          id_hash: hashOf(id),
          kind: persona.kind,
          tenant_id: persona.tenantId ?? null,
          publisher_id: persona.publisherId ?? null,
          user_object_id: persona.user?.objectId ?? null,
          user_email: persona.user?.email ?? null,
          display_name: persona.displayName,
          csrf_token: session.csrfToken,
          created_at: toStored(now),
          expires_at: toStored(session.expiresAt),
        })
        .execute();
      return { id, session };
    },
    async find(id, now) {
      if (!idPattern.test(id)) return undefined;
      const row = await db
        .selectFrom("console_sessions")
        .selectAll()
        .where("id_hash", "=", hashOf(id))
        .where("expires_at", ">", toStored(now))
        .executeTakeFirst();
      if (!row || !kinds.includes(row.kind as PersonaKind)) return undefined;
      return {
        persona: {
          kind: row.kind as PersonaKind,
          displayName: row.display_name,
          tenantId: row.tenant_id ?? undefined,
          publisherId: row.publisher_id ?? undefined,
          user:
            row.user_object_id && row.user_email !== null
              ? { objectId: row.user_object_id, email: row.user_email }
              : undefined,
        },
        csrfToken: row.csrf_token,
        expiresAt: new Date(row.expires_at),
      };
    },
    async remove(id) {
      if (!idPattern.test(id)) return;
      await db.deleteFrom("console_sessions").where("id_hash", "=", hashOf(id)).execute();
    },
  };
}
