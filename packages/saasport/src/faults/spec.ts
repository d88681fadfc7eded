import { badArgument } from "../http/errors.js";

export type FaultTarget = "webhook" | "api";
export type FaultKind = "status" | "timeout" | "delay" | "duplicate" | "outOfOrder" | "latency";

/** What a fault does, as stored in `faults.spec` (JSON). */
export interface FaultSpec {
  kind: FaultKind;
  status?: number;
  delayMs?: number;
  holdMs?: number;
  /** Chance in [0, 1] that the fault applies each time it is asked. */
  probability: number;
  /** How many applications were asked for (null: until cleared). */
  count: number | null;
}

/** A request to create a fault, as the operator route and the CLI send it. */
export interface FaultRequest {
  target: FaultTarget;
  publisherId?: string;
  subscriptionId?: string;
  kind: FaultKind;
  status?: number;
  delayMs?: number;
  holdMs?: number;
  probability?: number;
  count?: number;
  seed?: number;
}

export const kindsByTarget: Record<FaultTarget, readonly FaultKind[]> = {
  webhook: ["status", "timeout", "delay", "duplicate", "outOfOrder"],
  api: ["status", "latency"],
};

/** The longest injected wait: an hour for webhooks (late or held deliveries), two minutes for /api. */
export const maxWaitMs: Record<FaultTarget, number> = { webhook: 3_600_000, api: 120_000 };
export const maxSeed = 2_147_483_647;

/** Which field each kind needs; every other of these fields is refused. */
const requiredField: Record<FaultKind, "status" | "delayMs" | "holdMs" | undefined> = {
  status: "status",
  timeout: undefined,
  delay: "delayMs",
  duplicate: undefined,
  outOfOrder: "holdMs",
  latency: "delayMs",
};

/**
 * Checks a fault request beyond its JSON shape (kinds per target, the fields each kind takes, the
 * statuses each target can fake) and returns the spec to store. Throws BadArgument with the field at fault.
 */
export function specOf(request: FaultRequest): FaultSpec {
  const kinds = kindsByTarget[request.target];
  if (!kinds.includes(request.kind)) {
    const hint =
      request.kind === "delay"
        ? " (for /api use 'latency')"
        : request.kind === "latency"
          ? " (for webhooks use 'delay')"
          : "";
    throw badArgument(
      "kind",
      `${request.target === "api" ? "An /api" : "A webhook"} fault cannot be '${request.kind}'${hint}; use one of: ${kinds.join(", ")}.`,
    );
  }
  const needed = requiredField[request.kind];
  for (const field of ["status", "delayMs", "holdMs"] as const) {
    const value = request[field];
    if (field === needed && value === undefined)
      throw badArgument(field, `A '${request.kind}' fault needs ${field}.`, "RequiredField");
    if (field !== needed && value !== undefined)
      throw badArgument(field, `${field} does not apply to a '${request.kind}' fault.`);
  }
  if (request.status !== undefined) checkStatus(request.target, request.status);
  for (const field of ["delayMs", "holdMs"] as const) {
    const value = request[field];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1 && value <= maxWaitMs[request.target]))
      throw badArgument(
        field,
        `${field} must be a whole number of milliseconds from 1 to ${maxWaitMs[request.target]}.`,
      );
  }
  const probability = request.probability ?? 1;
  if (!(probability >= 0 && probability <= 1))
    throw badArgument("probability", "probability must be a number from 0 to 1.");
  if (request.count !== undefined && !(Number.isInteger(request.count) && request.count >= 1))
    throw badArgument(
      "count",
      "count must be a whole number of at least 1 (leave it out for 'until cleared').",
    );
  if (
    request.seed !== undefined &&
    !(Number.isInteger(request.seed) && request.seed >= 0 && request.seed <= maxSeed)
  )
    throw badArgument("seed", `seed must be a whole number from 0 to ${maxSeed}.`);
  return {
    kind: request.kind,
    ...(request.status === undefined ? {} : { status: request.status }),
    ...(request.delayMs === undefined ? {} : { delayMs: request.delayMs }),
    ...(request.holdMs === undefined ? {} : { holdMs: request.holdMs }),
    probability,
    count: request.count ?? null,
  };
}

/** Webhooks can fake any 4xx or 5xx answer; /api fakes throttling (429) and server errors (5xx). */
function checkStatus(target: FaultTarget, status: number): void {
  if (target === "webhook" && !(Number.isInteger(status) && status >= 400 && status <= 599))
    throw badArgument("status", "A webhook fault's status must be from 400 to 599.");
  if (target === "api" && !(status === 429 || (Number.isInteger(status) && status >= 500 && status <= 599)))
    throw badArgument("status", "An /api fault's status must be 429 or from 500 to 599.");
}
