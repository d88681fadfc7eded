import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("meta")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("publishers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("app_id", "text", (c) => c.notNull())
    .addColumn("landing_page_url", "text", (c) => c.notNull())
    .addColumn("webhook_url", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("publishers_tenant_app")
    .on("publishers")
    .columns(["tenant_id", "app_id"])
    .unique()
    .execute();

  await db.schema
    .createTable("publisher_secrets")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("publisher_id", "text", (c) => c.notNull().references("publishers.id").onDelete("cascade"))
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("hint", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text")
    .addColumn("revoked_at", "text")
    .execute();
  await db.schema
    .createIndex("publisher_secrets_publisher")
    .on("publisher_secrets")
    .column("publisher_id")
    .execute();

  await db.schema
    .createTable("publisher_certificates")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("publisher_id", "text", (c) => c.notNull().references("publishers.id").onDelete("cascade"))
    .addColumn("public_key_pem", "text", (c) => c.notNull())
    .addColumn("x5t", "text")
    .addColumn("x5t_s256", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .execute();
  await db.schema
    .createIndex("publisher_certificates_publisher")
    .on("publisher_certificates")
    .column("publisher_id")
    .execute();

  await db.schema
    .createTable("signing_keys")
    .addColumn("kid", "text", (c) => c.primaryKey())
    .addColumn("private_key_pem", "text", (c) => c.notNull())
    .addColumn("public_jwk", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("retired_at", "text")
    .addColumn("published_until", "text")
    .execute();

  await db.schema
    .createTable("offers")
    .addColumn("publisher_id", "text", (c) => c.notNull().references("publishers.id").onDelete("cascade"))
    .addColumn("offer_id", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("pricing_model", "text", (c) => c.notNull())
    .addColumn("is_preview", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("offers_pk", ["publisher_id", "offer_id"])
    .execute();

  await db.schema
    .createTable("plans")
    .addColumn("publisher_id", "text", (c) => c.notNull())
    .addColumn("offer_id", "text", (c) => c.notNull())
    .addColumn("plan_id", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("is_private", "integer", (c) => c.notNull())
    .addColumn("audience", "text", (c) => c.notNull())
    .addColumn("min_quantity", "integer")
    .addColumn("max_quantity", "integer")
    .addColumn("has_free_trial", "integer", (c) => c.notNull())
    .addColumn("is_stop_sell", "integer", (c) => c.notNull())
    .addColumn("markets", "text", (c) => c.notNull())
    .addColumn("billing_terms", "text", (c) => c.notNull())
    .addColumn("metering_dimensions", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("plans_pk", ["publisher_id", "offer_id", "plan_id"])
    .addForeignKeyConstraint(
      "plans_offer_fk",
      ["publisher_id", "offer_id"],
      "offers",
      ["publisher_id", "offer_id"],
      (c) => c.onDelete("cascade"),
    )
    .execute();

  await db.schema
    .createTable("subscriptions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("publisher_id", "text", (c) => c.notNull())
    .addColumn("offer_id", "text", (c) => c.notNull())
    .addColumn("plan_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("quantity", "integer")
    .addColumn("term_unit", "text", (c) => c.notNull())
    .addColumn("payment_option", "text", (c) => c.notNull())
    .addColumn("term_start", "text")
    .addColumn("term_end", "text")
    .addColumn("auto_renew", "integer", (c) => c.notNull())
    .addColumn("is_test", "integer", (c) => c.notNull())
    .addColumn("is_free_trial", "integer", (c) => c.notNull())
    .addColumn("is_preview", "integer", (c) => c.notNull())
    .addColumn("allowed_customer_operations", "text", (c) => c.notNull())
    .addColumn("sandbox_type", "text", (c) => c.notNull())
    .addColumn("session_mode", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("market", "text", (c) => c.notNull())
    .addColumn("beneficiary", "text", (c) => c.notNull())
    .addColumn("purchaser", "text", (c) => c.notNull())
    .addColumn("beneficiary_tenant_id", "text", (c) => c.notNull())
    .addColumn("purchaser_tenant_id", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("activated_at", "text")
    .addColumn("unsubscribed_at", "text")
    .execute();
  await db.schema
    .createIndex("subscriptions_publisher_page")
    .on("subscriptions")
    .columns(["publisher_id", "created_at", "id"])
    .execute();

  await db.schema
    .createTable("operations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    .addColumn("publisher_id", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("plan_id", "text", (c) => c.notNull())
    .addColumn("quantity", "integer")
    .addColumn("activity_id", "text", (c) => c.notNull())
    .addColumn("error_status_code", "text")
    .addColumn("error_message", "text")
    .addColumn("due_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("pending", "integer")
    .execute();
  // At most one NotStarted/InProgress operation per subscription, enforced by the database itself.
  await db.schema
    .createIndex("operations_one_pending")
    .on("operations")
    .columns(["subscription_id", "pending"])
    .unique()
    .execute();
  await db.schema
    .createIndex("operations_subscription")
    .on("operations")
    .columns(["subscription_id", "created_at"])
    .execute();
  await db.schema.createIndex("operations_due").on("operations").columns(["pending", "due_at"]).execute();

  await db.schema
    .createTable("purchase_tokens")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Saasport migrations are forward-only");
}
