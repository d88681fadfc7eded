import type { FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { ClockService } from "../../../clock/clock-service.js";
import type { Database } from "../../../db/tables.js";
import { ApiError } from "../../../http/errors.js";
import type { StoreCaller } from "../../../purchases/store-auth.js";
import type { PaymentDeps } from "../../payments.js";
import type { BillingService } from "../../service.js";

export interface InvoiceRouteDeps {
  db: Kysely<Database>;
  clocks: ClockService;
  service: BillingService;
  payments: PaymentDeps;
  operatorKeyHash: string;
  /** A buyer token, or the operator key acting for a buyer. */
  authenticate(request: FastifyRequest): Promise<StoreCaller>;
}

export const storeDocs = {
  tags: ["Store: invoices"],
  security: [{ operatorKey: [] }],
  description:
    "Authenticated with a buyer token (POST /operator/v1/buyer-tokens) or the operator key. `?format=csv` answers text/csv.",
} as const;

export const operatorDocs = {
  tags: ["Operator: invoices"],
  security: [{ operatorKey: [] }],
} as const;

export function invoiceNotFound(invoiceId: string): ApiError {
  return new ApiError("NotFound", `There is no invoice "${invoiceId.slice(0, 100)}".`, {
    target: "invoiceId",
  });
}

/** Sign-in for store routes: the caller is kept per request for the handler. */
export function storeSignIn(deps: InvoiceRouteDeps) {
  const callers = new WeakMap<FastifyRequest, StoreCaller>();
  return {
    async signIn(request: FastifyRequest) {
      callers.set(request, await deps.authenticate(request));
    },
    callerOf(request: FastifyRequest): StoreCaller {
      const caller = callers.get(request);
      if (!caller) throw new ApiError("Unauthorized");
      return caller;
    },
  };
}
