import type { LedgerLineKind } from "../../db/tables.js";
import type { Money } from "../domain/money.js";

/** A line the ledger computed: what `ledger_lines` stores, before storage adds ids and the invoice. */
export interface ComputedLine {
  /** Deterministic, unique across the ledger: the same line computed twice is stored once. */
  key: string;
  kind: LedgerLineKind;
  description: string;
  /** ISO day the line is dated; it goes on that month's invoice. */
  on: string;
  periodStart: string;
  periodEnd: string;
  planId: string;
  quantity: string | null;
  unitPrice: string | null;
  amount: Money;
  listAmount: Money | null;
  resellerMargin: Money | null;
  privateOfferId: string | null;
}
