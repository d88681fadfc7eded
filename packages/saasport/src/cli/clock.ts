import type { Command } from "commander";
import { addClientOptions, CliError, type ClientFlags, operatorKeyOf, print, request } from "./client.js";

interface ClockFlags extends ClientFlags {
  testClock?: string;
  waitForDeliveries?: boolean;
}

interface ClockView {
  testClock: string | null;
  now: string;
  offsetMs: number;
  realNow: string;
}

interface MoveAnswer {
  before: string;
  now: string;
  testClock: string | null;
  transitions: { renewed: number; trialsConverted: number; unsubscribed: number };
  deliveries?: {
    queued: number;
    delivered: number;
    rejected: number;
    failed: number;
    pending: number;
    timedOut: boolean;
    message?: string;
  };
}

const clockLabel = (name: string | null) => (name === null ? "global" : `test clock ${name}`);

function testClockQuery(flags: ClockFlags): string {
  return flags.testClock ? `?testClock=${encodeURIComponent(flags.testClock)}` : "";
}

function withClockOptions(command: Command): Command {
  return addClientOptions(command.option("--test-clock <name>", "a test clock instead of the global clock"));
}

function printMove(flags: ClockFlags, answer: MoveAnswer): void {
  const lines: Array<[string, unknown]> = [
    ["clock", clockLabel(answer.testClock)],
    ["before", answer.before],
    ["now", answer.now],
    ["renewed", answer.transitions.renewed],
    ["trials converted", answer.transitions.trialsConverted],
    ["unsubscribed", answer.transitions.unsubscribed],
  ];
  const deliveries = answer.deliveries;
  if (deliveries) {
    lines.push(
      ["webhooks queued", deliveries.queued],
      [
        "webhooks",
        `${deliveries.delivered} delivered, ${deliveries.rejected} rejected, ${deliveries.failed} gave up, ${deliveries.pending} pending`,
      ],
    );
  }
  print(flags, answer as unknown as Record<string, unknown>, lines);
  if (deliveries?.timedOut && !flags.json) console.error(`saasport: ${deliveries.message ?? "timed out"}`);
}

async function moveClock(
  flags: ClockFlags,
  method: "POST" | "PUT",
  path: string,
  body: Record<string, unknown>,
): Promise<void> {
  const query = flags.waitForDeliveries ? "?waitForDeliveries=true" : "";
  const answer = (await request(flags, method, `${path}${query}`, {
    bearer: operatorKeyOf(flags),
    body: { ...body, ...(flags.testClock ? { testClock: flags.testClock } : {}) },
  })) as MoveAnswer;
  printMove(flags, answer);
}

/** `saasport clock`: read and move the virtual clocks that drive renewals, trial ends and expiries. */
export function registerClockCommand(program: Command): void {
  const clock = program
    .command("clock")
    .description(
      "Read and move virtual time: renewals, trial conversions and expiries fire as the clock passes them.",
    );

  withClockOptions(clock.command("show").description("Print the current time of a clock")).action(
    async (flags: ClockFlags) => {
      const answer = (await request(flags, "GET", `/operator/v1/clock${testClockQuery(flags)}`, {
        bearer: operatorKeyOf(flags),
      })) as ClockView;
      print(flags, answer as unknown as Record<string, unknown>, [
        ["clock", clockLabel(answer.testClock)],
        ["now", answer.now],
        ["offset", formatOffset(answer.offsetMs)],
        ["real time", answer.realNow],
      ]);
    },
  );

  addClientOptions(
    clock.command("list").description("Print every clock: the global clock and the test clocks"),
  ).action(async (flags: ClientFlags) => {
    const answer = (await request(flags, "GET", "/operator/v1/clocks", { bearer: operatorKeyOf(flags) })) as {
      clocks: ClockView[];
    };
    print(
      flags,
      answer as unknown as Record<string, unknown>,
      answer.clocks.map((view) => [
        clockLabel(view.testClock),
        `${view.now} (${formatOffset(view.offsetMs)})`,
      ]),
    );
  });

  addClientOptions(
    clock
      .command("create")
      .description("Create a test clock, starting at the global clock's time")
      .argument("<name>", "1 to 64 letters, digits, '-', '_' or '.'"),
  ).action(async (name: string, flags: ClientFlags) => {
    const answer = (await request(flags, "POST", "/operator/v1/clocks", {
      bearer: operatorKeyOf(flags),
      body: { name },
    })) as ClockView;
    print(flags, answer as unknown as Record<string, unknown>, [
      ["clock", clockLabel(answer.testClock)],
      ["now", answer.now],
    ]);
  });

  withClockOptions(
    clock
      .command("advance")
      .description(
        "Move a clock forward and fire every transition due on the way (the global clock leaves test clocks alone)",
      )
      .argument("<duration>", "ISO-8601 duration (P1D, PT2H, P1M, P1Y, P1DT12H) or milliseconds")
      .option("--wait-for-deliveries", "also wait until the webhooks this move queued went out (up to 60 s)"),
  ).action(async (duration: string, flags: ClockFlags) => {
    const body = { duration: /^\d+$/.test(duration) ? Number(duration) : duration };
    await moveClock(flags, "POST", "/operator/v1/clock/advance", body);
  });

  withClockOptions(
    clock
      .command("set")
      .description("Set a clock to a later time and fire every transition due on the way")
      .argument("<time>", "ISO-8601 date-time, e.g. 2030-01-31T00:00:00Z; clocks only move forward")
      .option("--wait-for-deliveries", "also wait until the webhooks this move queued went out (up to 60 s)"),
  ).action(async (time: string, flags: ClockFlags) => {
    if (Number.isNaN(Date.parse(time))) {
      throw new CliError(`"${time}" is not a date-time; give one like 2030-01-31T00:00:00Z.`);
    }
    await moveClock(flags, "PUT", "/operator/v1/clock", { now: time });
  });
}

function formatOffset(offsetMs: number): string {
  const days = offsetMs / 86_400_000;
  if (Math.abs(days) >= 1) return `${days.toFixed(2)} days ahead`;
  return `${Math.round(offsetMs / 1000)} s ahead`;
}
