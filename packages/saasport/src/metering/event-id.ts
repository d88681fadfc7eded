import { randomUUID } from "node:crypto";

/**
 * A usage event id: a GUID whose first 48 bits are the milliseconds since 1970 (the UUID version 7
 * layout), the rest random. Ids of new events sort after older ones, so inserting them appends to the
 * primary-key index instead of touching a random page of it on every insert. The random part comes
 * from `randomUUID()`, which draws from a buffered pool instead of a system call per id.
 */
export function newUsageEventId(now = Date.now()): string {
  const time = now.toString(16).padStart(12, "0");
  // randomUUID() is "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx": keep its random bits and RFC 4122 variant.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
