import type { FastifySchemaCompiler } from "fastify";
import type { InvoiceStatus } from "../../../db/tables.js";
import { ApiError, type ErrorDetail } from "../../../http/errors.js";

/** Queries are checked in the handlers, which say exactly what is wrong with every value at once. */
export const checkedInHandler: FastifySchemaCompiler<unknown> = () => (value) => ({ value });

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;
const clockNamePattern = /^[A-Za-z0-9._-]{1,64}$/;
const statuses: readonly InvoiceStatus[] = ["open", "paid", "failed"];

export const defaultLimit = 100;
export const maxLimit = 1000;

/** A keyset position: the last invoice of the previous page, in (month, id) order. */
export interface PageCursor {
  month: string;
  id: string;
}

export function encodeCursor(cursor: PageCursor): string {
  return `${cursor.month}|${cursor.id}`;
}

const quoted = (value: string) => JSON.stringify(value.slice(0, 100));

/**
 * Reads a query string value by value, collecting every problem; `done()` throws them as one
 * BadArgument (400) whose details name each parameter. Unknown parameters are refused, so a typo
 * never silently widens a listing.
 */
export class QueryReader {
  private readonly problems: ErrorDetail[] = [];
  private readonly raw: Record<string, unknown>;

  constructor(query: unknown, allowed: readonly string[]) {
    this.raw = typeof query === "object" && query !== null ? (query as Record<string, unknown>) : {};
    for (const name of Object.keys(this.raw)) {
      if (!allowed.includes(name)) {
        this.problem(
          name,
          `Unknown query parameter ${quoted(name)}; this route takes ${allowed.join(", ")}.`,
          "UnknownParameter",
        );
      }
    }
  }

  /** The raw text of a parameter; undefined when absent. */
  text(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    if (typeof value !== "string") {
      this.problem(name, `Give ${name} once.`);
      return undefined;
    }
    return value;
  }

  status(name = "status"): InvoiceStatus | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    if (statuses.includes(value as InvoiceStatus)) return value as InvoiceStatus;
    this.problem(name, `${name} is open, paid or failed; got ${quoted(value)}.`);
    return undefined;
  }

  month(name = "month"): string | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    if (monthPattern.test(value)) return value;
    this.problem(name, `${name} is a calendar month like 2025-01; got ${quoted(value)}.`);
    return undefined;
  }

  /** A tenant id, lowercased as billing accounts are stored. */
  tenant(name: string): string | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    if (guidPattern.test(value)) return value.toLowerCase();
    this.problem(name, `${name} is a tenant id (a GUID); got ${quoted(value)}.`);
    return undefined;
  }

  limit(name = "limit"): number {
    const value = this.text(name);
    if (value === undefined) return defaultLimit;
    const parsed = /^\d{1,7}$/.test(value) ? Number(value) : Number.NaN;
    if (parsed >= 1 && parsed <= maxLimit) return parsed;
    this.problem(name, `${name} is a whole number from 1 to ${maxLimit}; got ${quoted(value)}.`);
    return defaultLimit;
  }

  after(name = "after"): PageCursor | undefined {
    const value = this.text(name);
    if (value === undefined || value === "") return undefined;
    const [month, id, ...rest] = value.split("|");
    if (month && monthPattern.test(month) && id && id.length <= 100 && rest.length === 0)
      return { month, id };
    this.problem(name, `${name} takes the next value of the previous page; got ${quoted(value)}.`);
    return undefined;
  }

  /** A clock: undefined when absent (every clock), "" for the global clock, or a test clock name. */
  clock(name = "testClock"): string | undefined {
    const value = this.text(name);
    if (value === undefined || value === "") return value;
    if (clockNamePattern.test(value)) return value;
    this.problem(
      name,
      `${name} is a test clock name: 1 to 64 letters, digits, '-', '_' or '.' (empty for the global clock); got ${quoted(value)}.`,
    );
    return undefined;
  }

  format(name = "format"): "json" | "csv" {
    const value = this.text(name);
    if (value === undefined || value === "json") return "json";
    if (value === "csv") return "csv";
    this.problem(name, `${name} is json or csv; got ${quoted(value)}.`);
    return "json";
  }

  /** Throws every problem found, as one 400. */
  done(): void {
    const [first] = this.problems;
    if (!first) return;
    throw new ApiError(
      "BadArgument",
      this.problems.length === 1
        ? first.message
        : `${this.problems.length} query parameters are wrong: ${this.problems.map((problem) => problem.message).join(" ")}`,
      { target: first.target, details: this.problems },
    );
  }

  private problem(name: string, message: string, code = "InvalidValue"): void {
    this.problems.push({ code, message, target: name });
  }
}
