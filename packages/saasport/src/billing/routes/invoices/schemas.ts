import { Type } from "@sinclair/typebox";

const nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const decimal = (description: string) => Type.String({ description });

export const InvoiceStatusName = Type.Union([
  Type.Literal("open"),
  Type.Literal("paid"),
  Type.Literal("failed"),
]);

export const InvoiceView = Type.Object({
  id: Type.String(),
  billingAccount: Type.String({ description: "The paying tenant (the reseller on a reseller purchase)" }),
  month: Type.String({ description: 'The billing month, "2025-01"' }),
  currency: Type.String(),
  status: InvoiceStatusName,
  total: decimal('The sum of the lines, an exact decimal ("149.97")'),
  lineCount: Type.Integer(),
  issuedAt: Type.String({ description: "Business time: the first instant after the month" }),
  paidAt: nullable(Type.String()),
  failedAt: nullable(Type.String()),
  testClock: nullable(Type.String({ description: "The test clock; null for the global clock" })),
});

export const InvoiceLineView = Type.Object({
  id: Type.String(),
  kind: Type.Union(
    ["instalment", "prorationCredit", "prorationCharge", "refund", "overage"].map((kind) =>
      Type.Literal(kind),
    ),
  ),
  description: Type.String(),
  subscriptionId: Type.String(),
  publisherId: Type.String(),
  offerId: Type.String(),
  planId: Type.String(),
  onDay: Type.String({ description: "ISO day the line is dated" }),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  quantity: nullable(Type.String({ description: "Seats, or billable units of overage" })),
  unitPrice: nullable(Type.String()),
  amount: decimal('Signed exact decimal ("-70.00" for a credit)'),
  listAmount: nullable(Type.String()),
  resellerMargin: nullable(Type.String()),
  privateOfferId: nullable(Type.String()),
  currency: Type.String(),
});

export const InvoiceDetail = Type.Composite([
  InvoiceView,
  Type.Object({ lines: Type.Array(InvoiceLineView) }),
]);

export const InvoiceList = Type.Object({
  invoices: Type.Array(InvoiceView),
  next: nullable(Type.String({ description: "Pass as ?after= for the next page; null on the last page" })),
});

const SubscriptionChanged = Type.Object({
  subscriptionId: Type.String(),
  operationId: nullable(Type.String()),
  operationStatus: nullable(Type.String()),
});

export const PaymentAnswer = Type.Object({
  invoice: InvoiceView,
  suspended: Type.Array(SubscriptionChanged),
  reinstated: Type.Array(SubscriptionChanged),
  unchanged: Type.Array(Type.Object({ subscriptionId: Type.String(), reason: Type.String() })),
});

export const RunAnswer = Type.Object({
  runs: Type.Array(
    Type.Object({
      testClock: nullable(Type.String()),
      linesComputed: Type.Integer({
        description: "Lines offered to the ledger (stored ones are not stored again)",
      }),
      invoicesIssued: Type.Integer(),
      linesInvoiced: Type.Integer(),
    }),
  ),
});

export const InvoiceParams = Type.Object({ invoiceId: Type.String({ maxLength: 100 }) });

const format = Type.Optional(
  Type.Union([Type.Literal("json"), Type.Literal("csv")], {
    description: "csv answers text/csv as an attachment",
  }),
);
const status = Type.Optional(InvoiceStatusName);
const month = Type.Optional(Type.String({ description: 'Only this billing month, "2025-01"' }));
const limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 }));
const after = Type.Optional(Type.String({ description: "The next value of the previous page" }));
const guid = (description: string) => Type.Optional(Type.String({ format: "uuid", description }));

export const StoreListQuery = Type.Object({
  status,
  month,
  tenantId: guid("With the operator key: the buyer tenant whose invoices to list"),
  limit,
  after,
  format,
});

export const OperatorListQuery = Type.Object({
  billingAccount: guid("Only this billing account (tenant id)"),
  status,
  month,
  testClock: Type.Optional(
    Type.String({ description: "Only this test clock; empty for the global clock; omit for every clock" }),
  ),
  limit,
  after,
  format,
});

export const DetailQuery = Type.Object({ format });

export const RunQuery = Type.Object({
  testClock: Type.Optional(
    Type.String({ description: "Only this test clock (empty: the global clock); omit for every clock" }),
  ),
});
