import type { TypedApp } from "../../../catalog/routes/route-kit.js";
import { globalClock } from "../../../clock/clock-service.js";
import { ApiError } from "../../../http/errors.js";
import { requireOperator } from "../../../http/operator-auth.js";
import type { CatchUp } from "../../service.js";
import { type InvoiceRouteDeps, operatorDocs } from "./deps.js";
import { checkedInHandler, QueryReader } from "./query-params.js";
import { RunAnswer, RunQuery } from "./schemas.js";

const runView = (run: CatchUp) => ({
  testClock: run.clock === globalClock ? null : run.clock,
  linesComputed: run.linesComputed,
  invoicesIssued: run.invoices,
  linesInvoiced: run.lines,
});

/** Brings the ledger up to date now and issues the invoices of every month that ended (the worker does it too). */
export function registerOperatorBillingRun(app: TypedApp, deps: InvoiceRouteDeps): void {
  app.post(
    "/operator/v1/billing/run",
    {
      onRequest: requireOperator(deps.operatorKeyHash),
      bodyLimit: 1024,
      schema: {
        ...operatorDocs,
        summary: "Compute the ledger up to now and issue the invoices of every month that ended",
        querystring: RunQuery,
        response: { 200: RunAnswer },
      },
      validatorCompiler: checkedInHandler,
    },
    async (request) => {
      const query = new QueryReader(request.query, ["testClock"]);
      const clock = query.clock();
      query.done();
      if (clock === undefined) return { runs: (await deps.service.catchUpAll()).map(runView) };
      await deps.clocks.refresh();
      if (clock !== globalClock && !deps.clocks.exists(clock)) {
        throw new ApiError(
          "NotFound",
          `There is no test clock "${clock}"; create it first with POST /operator/v1/clocks.`,
          { target: "testClock" },
        );
      }
      return { runs: [runView(await deps.service.catchUp(clock))] };
    },
  );
}
