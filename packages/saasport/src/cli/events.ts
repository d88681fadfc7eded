import type { Command } from "commander";
import { addClientOptions, baseUrlOf, CliError, type ClientFlags, operatorKeyOf, request } from "./client.js";

interface EventsFlags extends ClientFlags {
  publisher?: string;
  subscription?: string;
  after?: string;
  limit?: string;
  type?: string;
}

interface EventView {
  position: number;
  subscriptionId: string;
  publisherId: string;
  seq: number;
  type: string;
  actor: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** One line per event: when (on the subscription's clock), what, which subscription, who, details. */
export function formatEvent(event: EventView): string {
  const details = Object.entries(event.data ?? {})
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === "object" ? JSON.stringify(value) : String(value)}`)
    .join(" ");
  return [
    event.occurredAt,
    `#${event.position}`.padEnd(7),
    event.type.padEnd(24),
    `${event.publisherId}/${event.subscriptionId}#${event.seq}`,
    `by ${event.actor}`,
    details,
  ]
    .join("  ")
    .trimEnd();
}

function query(flags: EventsFlags, extra: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({
    publisherId: flags.publisher,
    subscriptionId: flags.subscription,
    after: flags.after,
    ...extra,
  })) {
    if (value !== undefined) params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function registerEventsCommand(program: Command): void {
  const events = program
    .command("events")
    .description("Read the event log: every state change of every subscription.");

  addClientOptions(
    events
      .command("list")
      .description("Print events in order (per subscription by sequence number with --subscription).")
      .option("--publisher <publisherId>", "only this publisher's events")
      .option("--subscription <id>", "only this subscription's events")
      .option("--after <n>", "start after this position (or sequence number with --subscription)")
      .option("--type <types>", "only these types, comma-separated (e.g. Renewed,Suspended)")
      .option("--limit <n>", "at most this many events (default 100)"),
  ).action(async (flags: EventsFlags) => {
    const path = `/operator/v1/events${query(flags, { type: flags.type, limit: flags.limit })}`;
    const body = (await request(flags, "GET", path, { bearer: operatorKeyOf(flags) })) as {
      events: EventView[];
      nextAfter: number | null;
    };
    if (flags.json) {
      console.log(JSON.stringify(body, null, 2));
      return;
    }
    for (const event of body.events) console.log(formatEvent(event));
    if (body.nextAfter !== null) console.log(`(more: --after ${body.nextAfter})`);
  });

  addClientOptions(
    events
      .command("tail")
      .description("Follow the event log live until interrupted (Ctrl-C).")
      .option("--publisher <publisherId>", "only this publisher's events")
      .option("--subscription <id>", "only this subscription's events")
      .option("--after <position>", "replay events after this position first (default: only new events)"),
  ).action(async (flags: EventsFlags) => {
    await tail(flags);
  });
}

async function tail(flags: EventsFlags): Promise<void> {
  const key = operatorKeyOf(flags);
  let after = flags.after;
  if (after === undefined) {
    // Start at the end of the log: ask for the newest position first.
    const latest = (await request(flags, "GET", `/operator/v1/events/latest`, { bearer: key }).catch(
      () => undefined,
    )) as { position: number } | undefined;
    after = String(latest?.position ?? 0);
  }
  const url = `${baseUrlOf(flags)}/operator/v1/events/stream${query({ ...flags, after }, {})}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${key}`, accept: "text/event-stream" } });
  } catch {
    throw new CliError(
      `Saasport is not reachable at ${baseUrlOf(flags)}; start it with \`npx saasport\` or pass --url.`,
    );
  }
  if (!response.ok || !response.body) {
    throw new CliError(
      `The event stream answered ${response.status}: ${(await response.text()).slice(0, 300)}`,
    );
  }
  if (!flags.json) console.error(`Following events at ${baseUrlOf(flags)} (Ctrl-C to stop)...`);
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let boundary = buffer.indexOf("\n\n");
    while (boundary >= 0) {
      const message = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const data = message
        .split("\n")
        .filter((line) => line.startsWith("data: "))
        .map((line) => line.slice(6))
        .join("\n");
      if (data) {
        const event = JSON.parse(data) as EventView;
        console.log(flags.json ? JSON.stringify(event) : formatEvent(event));
      }
      boundary = buffer.indexOf("\n\n");
    }
  }
}
