import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifySchemaCompiler } from "fastify";
import { toStored } from "../db/time.js";
import { ApiError, badArgument } from "../http/errors.js";
import { requireOperator } from "../http/operator-auth.js";
import type { Clock } from "./clock.js";
import {
  type ClockControlDeps,
  ClockNotFoundError,
  moveClock,
  testClockName,
  waitForDeliveries,
} from "./clock-control.js";
import { ClockError, type ClockReading, globalClock } from "./clock-service.js";
import { addDuration, parseDuration } from "./duration.js";

export interface ClockRouteDeps extends ClockControlDeps {
  /** The base (real) clock, reported as `realNow`. */
  clock: Clock;
  operatorKeyHash: string;
  clockControl: boolean;
}

const docs = { tags: ["Operator: clocks"], security: [{ operatorKey: [] }] };
const clockNamePattern = /^[A-Za-z0-9._-]{1,64}$/;
const isoInstant = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/i;
const maxMoveMs = 100 * 366 * 86_400_000;
const defaultWaitSeconds = 60;

/** Bodies and queries are checked in the handlers, which say exactly what is wrong. */
const checkedInHandler: FastifySchemaCompiler<unknown> = () => (value) => ({ value });

const TestClockQuery = Type.Object({
  testClock: Type.Optional(Type.String({ description: "Test clock name; omit for the global clock" })),
});
const MoveQuery = Type.Object({
  waitForDeliveries: Type.Optional(
    Type.Boolean({ description: "Also wait until the webhooks this move queued were delivered or gave up" }),
  ),
  waitSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 300, default: defaultWaitSeconds })),
});
const AdvanceBody = Type.Object({
  duration: Type.Union([Type.String(), Type.Integer({ minimum: 0 })], {
    description: "ISO-8601 duration (P1D, PT2H, P1M, P1Y, P1DT12H) or milliseconds",
  }),
  testClock: Type.Optional(Type.String()),
});
const SetBody = Type.Object({
  now: Type.String({ format: "date-time", description: "The new time; clocks only move forward" }),
  testClock: Type.Optional(Type.String()),
});
const CreateBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) });

function clockNameOf(value: unknown, target: string): string {
  if (value === undefined || value === null || value === "") return globalClock;
  if (typeof value !== "string" || !clockNamePattern.test(value)) {
    throw badArgument(target, "A test clock name has 1 to 64 characters: letters, digits, '-', '_' and '.'.");
  }
  return value;
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badArgument("body", "Send a JSON object as the request body.");
  }
  return body as Record<string, unknown>;
}

function waitOptions(query: unknown): { wait: boolean; timeoutMs: number } {
  const { waitForDeliveries: wait, waitSeconds } = (query ?? {}) as Record<string, unknown>;
  if (wait !== undefined && !["true", "false", "1", "0", ""].includes(String(wait))) {
    throw badArgument("waitForDeliveries", "waitForDeliveries is true or false.");
  }
  const seconds = waitSeconds === undefined ? defaultWaitSeconds : Number(waitSeconds);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 300) {
    throw badArgument("waitSeconds", "waitSeconds is a whole number of seconds from 1 to 300.");
  }
  return { wait: wait === "true" || wait === "1" || wait === "", timeoutMs: seconds * 1000 };
}

export function registerClockRoutes(app: FastifyInstance, deps: ClockRouteDeps): void {
  const onRequest = requireOperator(deps.operatorKeyHash);
  const controlled = async () => {
    if (!deps.clockControl) throw new ApiError("ClockControlDisabled");
  };

  const view = (reading: ClockReading) => ({
    testClock: testClockName(reading.name),
    now: toStored(reading.now),
    offsetMs: reading.offsetMs,
    realNow: toStored(deps.clock.now()),
  });

  const known = (name: string) => {
    if (name !== globalClock && !deps.clocks.exists(name)) {
      throw new ApiError(
        "NotFound",
        `There is no test clock "${name}"; create it first with POST /operator/v1/clocks.`,
        { target: "testClock" },
      );
    }
  };

  /** Moves a clock and answers with what happened, optionally after its webhooks went out. */
  const move = async (name: string, target: (current: Date) => Date, query: unknown) => {
    const { wait, timeoutMs } = waitOptions(query);
    try {
      const moved = await moveClock(deps, name, target);
      if (!wait) return moved;
      return { ...moved, deliveries: await waitForDeliveries(deps, moved, timeoutMs) };
    } catch (error) {
      if (error instanceof ClockNotFoundError)
        throw new ApiError("NotFound", error.message, { target: "testClock" });
      if (error instanceof ClockError) throw new ApiError("Conflict", error.message, { target: "now" });
      throw error;
    }
  };

  app.get(
    "/operator/v1/clock",
    {
      onRequest,
      schema: {
        ...docs,
        summary: "The current time of the global clock or a test clock",
        querystring: TestClockQuery,
      },
      validatorCompiler: checkedInHandler,
    },
    async (request) => {
      const name = clockNameOf((request.query as Record<string, unknown>)?.testClock, "testClock");
      await deps.clocks.refresh();
      known(name);
      const reading = deps.clocks.list().find((candidate) => candidate.name === name);
      return view(reading ?? { name, now: deps.clocks.now(name), offsetMs: 0 });
    },
  );

  app.get(
    "/operator/v1/clocks",
    { onRequest, schema: { ...docs, summary: "Every clock: the global clock first, then the test clocks" } },
    async () => {
      await deps.clocks.refresh();
      return { clocks: deps.clocks.list().map(view), clockControl: deps.clockControl };
    },
  );

  app.post(
    "/operator/v1/clocks",
    {
      onRequest,
      preHandler: controlled,
      schema: {
        ...docs,
        summary: "Create a test clock, starting at the global clock's time",
        body: CreateBody,
      },
      validatorCompiler: checkedInHandler,
    },
    async (request, reply) => {
      const body = objectBody(request.body);
      if (body.name === undefined || body.name === "")
        throw badArgument("name", "The name field is required.", "RequiredField");
      const name = clockNameOf(body.name, "name");
      await deps.clocks.refresh();
      const existed = deps.clocks.exists(name);
      const reading = await deps.clocks.create(name);
      return reply.code(existed ? 200 : 201).send(view(reading));
    },
  );

  app.post(
    "/operator/v1/clock/advance",
    {
      onRequest,
      preHandler: controlled,
      schema: {
        ...docs,
        summary:
          "Move a clock forward by a duration, firing every renewal, trial conversion and expiry due on the way in time order",
        description:
          "Months and years are calendar-based from the clock's current time. Moving the global clock leaves test clocks where they are.",
        body: AdvanceBody,
        querystring: MoveQuery,
      },
      validatorCompiler: checkedInHandler,
    },
    async (request) => {
      const body = objectBody(request.body);
      const name = clockNameOf(body.testClock, "testClock");
      const parsed = parseDuration(body.duration);
      if (!parsed.ok) throw badArgument("duration", parsed.message);
      return move(
        name,
        (current) => {
          const target = addDuration(current, parsed.duration);
          if (target.getTime() - current.getTime() > maxMoveMs)
            throw badArgument("duration", "A clock moves at most 100 years at a time.");
          return target;
        },
        request.query,
      );
    },
  );

  app.put(
    "/operator/v1/clock",
    {
      onRequest,
      preHandler: controlled,
      schema: {
        ...docs,
        summary: "Set a clock to a later time, firing every transition due on the way in time order",
        body: SetBody,
        querystring: MoveQuery,
      },
      validatorCompiler: checkedInHandler,
    },
    async (request) => {
      const body = objectBody(request.body);
      const name = clockNameOf(body.testClock, "testClock");
      if (typeof body.now !== "string" || !isoInstant.test(body.now) || Number.isNaN(Date.parse(body.now))) {
        throw badArgument("now", "now is an ISO-8601 date-time such as 2030-01-31T00:00:00Z.");
      }
      const at = new Date(body.now);
      return move(
        name,
        (current) => {
          if (at.getTime() - current.getTime() > maxMoveMs)
            throw badArgument("now", "A clock moves at most 100 years at a time.");
          return at;
        },
        request.query,
      );
    },
  );
}
