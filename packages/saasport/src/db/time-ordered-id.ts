import { randomUUID } from "node:crypto";

/**
 * A row id: a GUID whose first 48 bits are the milliseconds since 1970 (the UUID version 7 layout), the
 * rest random. Ids of new rows sort after older ones, so inserting them appends to the key's index
 * instead of dirtying a random page of it on every insert (and writing that page to the log at each
 * commit). For rows written at a high rate: usage events, lifecycle events, operations, webhook
 * deliveries and attempts, ledger lines. The random part comes from `randomUUID()`, which draws from a
 * buffered pool instead of a system call per id.
 */
export function timeOrderedId(now = Date.now()): string {
  const time = now.toString(16).padStart(12, "0");
  // randomUUID() is "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx": keep its random bits and RFC 4122 variant.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
