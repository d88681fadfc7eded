/**
 * The one error table. Every error Saasport answers with has a code here; the code decides the HTTP
 * status (unless a fidelity setting overrides it) and the default message. How the body is laid out
 * depends on the surface the request hit (see `renderError` in error-handler.ts).
 */
export const errorTable = {
  // api-version problems, worded like ASP.NET API versioning (what the emulator mimics).
  ApiVersionUnspecified: { status: 400, message: "An API version is required, but was not specified." },
  UnsupportedApiVersion: {
    status: 400,
    message: "The HTTP resource does not support the requested API version.",
  },

  // Authentication and authorisation. The message is the live marketplace's wording.
  Unauthorized: {
    status: 401,
    message:
      "The authorization token is invalid, expired, missing or this request is attempting to access a SaaS subscription for an offer that was published with a different Azure AD App ID from the one used to create the authorization token. Please make sure the authorization token is created using the same Azure AD App ID as the Azure AD App ID Id set for the offer in Technical Details tab in Partner Center.",
  },
  Forbidden: {
    status: 403,
    message:
      "The authorization token is invalid, expired, missing or this request is attempting to access a SaaS subscription for an offer that was published with a different Azure AD App ID from the one used to create the authorization token. Please make sure the authorization token is created using the same Azure AD App ID as the Azure AD App ID Id set for the offer in Technical Details tab in Partner Center.",
  },

  // Fulfillment validation codes (emulator and live wording).
  EntityNotFound: { status: 404, message: "The requested entity was not found." },
  HeaderNotPresent: { status: 400, message: "Mandatory header missing" },
  /** A value that is present but wrong: undecodable token, unknown enum value, a bad id. */
  InvalidValue: { status: 400, message: "The value is invalid." },
  /** A field that is missing or malformed in the request body or query. */
  BadArgument: { status: 400, message: "One or more errors have occurred." },
  /** A well-formed request that the subscription's state does not allow. */
  BadRequest: { status: 400, message: "The request is not valid in the current state." },
  /** The subscription already has a NotStarted/InProgress operation (the lock rule). */
  SubscriptionLocked: {
    status: 400,
    message: "Patch cannot be completed because the subscription is locked due to pending operations",
  },
  Conflict: { status: 409, message: "The request conflicts with the current state." },

  // Transport-level problems, answered on every surface.
  NotFound: { status: 404, message: "No such resource." },
  PayloadTooLarge: { status: 413, message: "The request body is too large." },
  UnsupportedMediaType: { status: 415, message: "Send the body as application/json." },
  /** Saasport's own surfaces: the operator key is missing or wrong. */
  OperatorKeyRequired: { status: 401, message: "Send the operator key as 'Authorization: Bearer <key>'." },
  UnexpectedError: { status: 500, message: "An unexpected error has occurred." },
  /** Moving virtual clocks is switched off (settings.lifecycle.clockControl). */
  ClockControlDisabled: {
    status: 403,
    message:
      "Clock control is off on this Saasport: start it with clock control on (SAASPORT_CLOCK_CONTROL=true) to move virtual clocks.",
  },
  /** An /api failure the operator asked for (fault injection); the status comes from the fault. */
  InjectedFault: { status: 503, message: "The service is temporarily unavailable." },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorTable;

export interface ErrorDetail {
  code: string;
  message: string;
  target?: string;
}

export interface ApiErrorOptions {
  target?: string;
  details?: ErrorDetail[];
  /** Overrides the table's status where a fidelity setting says so. */
  status?: number;
  headers?: Record<string, string>;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly target: string | undefined;
  readonly details: ErrorDetail[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, message?: string, options: ApiErrorOptions = {}) {
    super(message ?? errorTable[code].message);
    this.name = "ApiError";
    this.code = code;
    this.status = options.status ?? errorTable[code].status;
    this.target = options.target;
    this.details = options.details;
    this.headers = options.headers;
  }
}

/** A single-field validation failure, shaped like the marketplace's BadArgument/RequiredField bodies. */
export function badArgument(target: string, message: string, detailCode = "InvalidValue"): ApiError {
  return new ApiError("BadArgument", message, { target, details: [{ code: detailCode, message, target }] });
}
