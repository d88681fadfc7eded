import type { Command } from "commander";
import { addClientOptions, CliError, type ClientFlags, operatorKeyOf, print, request } from "./client.js";

interface AddFlags extends ClientFlags {
  target: string;
  kind: string;
  publisher?: string;
  subscription?: string;
  status?: string;
  delay?: string;
  hold?: string;
  probability?: string;
  count?: string;
  seed?: string;
}

interface FaultView {
  id: string;
  target: string;
  publisherId: string | null;
  subscriptionId: string | null;
  probability: number;
  count: number | null;
  remaining: number | null;
  seed: number;
  hits: number;
  active: boolean;
  label: string;
  clearedAt: string | null;
}

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed))
    throw new CliError(`--${name} must be a number, got "${value}"`);
  return parsed;
}

function scopeOf(fault: FaultView): string {
  if (fault.subscriptionId) return `subscription ${fault.subscriptionId}`;
  if (fault.publisherId) return `publisher ${fault.publisherId}`;
  return "everything";
}

function usesOf(fault: FaultView): string {
  const left = fault.count === null ? "until cleared" : `${fault.remaining} of ${fault.count} left`;
  return `${fault.hits} applied, ${left}`;
}

function effectOf(fault: FaultView): string {
  return fault.label.slice(fault.label.indexOf(": ") + 2);
}

/** `saasport faults`: make webhook deliveries and /api calls fail on purpose, reproducibly. */
export function registerFaultsCommand(program: Command): void {
  const faults = program
    .command("faults")
    .description("Inject faults into webhook deliveries and /api calls (see docs/fault-injection.md).");

  addClientOptions(
    faults
      .command("add")
      .description("Add a fault; the oldest active fault that matches decides.")
      .requiredOption("--target <target>", "webhook or api")
      .requiredOption(
        "--kind <kind>",
        "webhook: status, timeout, delay, duplicate, outOfOrder; api: status, latency",
      )
      .option("--publisher <publisherId>", "only this publisher's deliveries or calls")
      .option("--subscription <subscriptionId>", "only this subscription's deliveries or calls")
      .option("--status <code>", "kind status: webhook 400-599, api 429 or 500-599")
      .option("--delay <ms>", "kind delay (webhook) or latency (api), in milliseconds")
      .option("--hold <ms>", "kind outOfOrder: how long the delivery is held back, in milliseconds")
      .option("--probability <p>", "chance from 0 to 1 that the fault applies each time (default 1)")
      .option("--count <n>", "how many times it applies (default: until cleared)")
      .option("--seed <n>", "seed of the fault's draws, 0 to 2147483647 (default: random, printed)"),
  ).action(async (flags: AddFlags) => {
    const numbers = {
      status: numberFlag("status", flags.status),
      delayMs: numberFlag("delay", flags.delay),
      holdMs: numberFlag("hold", flags.hold),
      probability: numberFlag("probability", flags.probability),
      count: numberFlag("count", flags.count),
      seed: numberFlag("seed", flags.seed),
    };
    const fault = (await request(flags, "POST", "/operator/v1/faults", {
      bearer: operatorKeyOf(flags),
      body: {
        target: flags.target,
        kind: flags.kind,
        ...(flags.publisher ? { publisherId: flags.publisher } : {}),
        ...(flags.subscription ? { subscriptionId: flags.subscription } : {}),
        ...Object.fromEntries(Object.entries(numbers).filter(([, value]) => value !== undefined)),
      },
    })) as FaultView;
    print(flags, { ...fault }, [
      ["fault", fault.id],
      ["target", fault.target],
      ["effect", effectOf(fault)],
      ["applies to", scopeOf(fault)],
      ["probability", fault.probability],
      ["uses", usesOf(fault)],
      ["seed", fault.seed],
    ]);
  });

  addClientOptions(
    faults
      .command("list")
      .description("List the active faults, oldest (deciding) first.")
      .option("--all", "include cleared and used-up faults"),
  ).action(async (flags: ClientFlags & { all?: boolean }) => {
    const list = (await request(flags, "GET", `/operator/v1/faults${flags.all ? "?all=true" : ""}`, {
      bearer: operatorKeyOf(flags),
    })) as { faults: FaultView[] };
    if (!flags.json && list.faults.length === 0) {
      console.log(flags.all ? "No faults." : "No active faults.");
      return;
    }
    print(
      flags,
      { ...list },
      list.faults.map((fault): [string, string] => [
        fault.id,
        [
          fault.target,
          effectOf(fault),
          scopeOf(fault),
          `p=${fault.probability} seed=${fault.seed}`,
          usesOf(fault),
          ...(fault.clearedAt ? [`cleared ${fault.clearedAt}`] : fault.active ? [] : ["used up"]),
        ].join(" | "),
      ]),
    );
  });

  addClientOptions(
    faults
      .command("clear")
      .description("Clear one fault, a publisher's faults (--publisher), or every fault (--all).")
      .argument("[faultId]", "the fault to clear")
      .option("--publisher <publisherId>", "clear this publisher's faults")
      .option("--all", "clear every fault"),
  ).action(
    async (faultId: string | undefined, flags: ClientFlags & { publisher?: string; all?: boolean }) => {
      const chosen = [faultId !== undefined, flags.publisher !== undefined, flags.all === true].filter(
        Boolean,
      );
      if (chosen.length !== 1)
        throw new CliError("Say what to clear: a fault id, --publisher <publisherId>, or --all.");
      const bearer = operatorKeyOf(flags);
      if (faultId !== undefined) {
        await request(flags, "DELETE", `/operator/v1/faults/${encodeURIComponent(faultId)}`, { bearer });
        print(flags, { cleared: 1, faultId }, [["cleared", faultId]]);
        return;
      }
      const query = flags.publisher ? `?publisherId=${encodeURIComponent(flags.publisher)}` : "";
      const answer = (await request(flags, "DELETE", `/operator/v1/faults${query}`, { bearer })) as {
        cleared: number;
      };
      print(flags, answer, [["cleared", `${answer.cleared} fault${answer.cleared === 1 ? "" : "s"}`]]);
    },
  );
}
