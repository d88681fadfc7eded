import { type Static, Type } from "@sinclair/typebox";

const month = (description: string) => Type.String({ maxLength: 20, description });
const amount = (description: string) => Type.String({ description });

export const Format = Type.Unsafe<"json" | "csv">({
  type: "string",
  enum: ["json", "csv"],
  description: "json (the default) or csv (RFC 4180, a file download)",
});

export const RevenueQuery = Type.Object(
  {
    from: month("First month, YYYY-MM (UTC)"),
    to: month("Last month, YYYY-MM, at most 120 months after from"),
    offerId: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    planId: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    format: Type.Optional(Format),
  },
  { additionalProperties: false },
);
export type RevenueQuery = Static<typeof RevenueQuery>;

export const OperatorRevenueQuery = Type.Object(
  { ...RevenueQuery.properties, publisherId: Type.String({ minLength: 1, maxLength: 50 }) },
  { additionalProperties: false },
);

export const PayoutQuery = Type.Object(
  {
    from: Type.Optional(month("First month the money was collected in, YYYY-MM (UTC)")),
    to: Type.Optional(month("Last month, YYYY-MM")),
    format: Type.Optional(Format),
  },
  { additionalProperties: false },
);
export type PayoutQuery = Static<typeof PayoutQuery>;

export const OperatorPayoutQuery = Type.Object(
  { ...PayoutQuery.properties, publisherId: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })) },
  { additionalProperties: false },
);

const totals = {
  total: amount("Every line, invoiced or not"),
  invoiced: amount("The part already on an invoice"),
  collected: amount("The part on a paid invoice"),
  resellerMargin: Type.Union([Type.String(), Type.Null()], {
    description: "List amount − amount charged on reseller lines; null when no line has a margin",
  }),
};

const ByKind = Type.Object({
  instalment: Type.String(),
  prorationCredit: Type.String(),
  prorationCharge: Type.String(),
  refund: Type.String(),
  overage: Type.String(),
});

export const RevenueView = Type.Object({
  publisherId: Type.String(),
  from: Type.String(),
  to: Type.String(),
  months: Type.Array(
    Type.Object({
      month: Type.String(),
      currency: Type.String(),
      offers: Type.Array(
        Type.Object({ offerId: Type.String(), planId: Type.String(), byKind: ByKind, ...totals }),
      ),
      ...totals,
    }),
  ),
});

const statement = {
  month: Type.String({ description: "The month the money was collected (invoices paid), YYYY-MM" }),
  currency: Type.String(),
  collected: amount("Lines of paid invoices; refunds are negative"),
  storeFee: amount("storeFeePercent of collected, rounded once half-even"),
  payout: amount("collected − storeFee"),
  invoices: Type.Integer(),
  lines: Type.Integer(),
};

export const PartnerPayoutsView = Type.Object({
  publisherId: Type.String(),
  storeFeePercent: Type.String(),
  statements: Type.Array(Type.Object(statement)),
});

export const OperatorPayoutsView = Type.Object({
  storeFeePercent: Type.String(),
  statements: Type.Array(Type.Object({ publisherId: Type.String(), ...statement })),
});
