import { randomBytes } from "node:crypto";

/**
 * A usage event id: a GUID whose first 48 bits are the milliseconds since 1970 (the UUID version 7
 * layout), the rest random. Ids of new events sort after older ones, so inserting them appends to the
 * primary-key index instead of touching a random page of it on every insert.
 */
export function newUsageEventId(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
