import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";

/** Options every command that talks to a running Saasport accepts. */
export interface ClientFlags {
  url?: string;
  operatorKey?: string;
  data?: string;
  json?: boolean;
}

export class CliError extends Error {}

export function addClientOptions(command: Command): Command {
  return command
    .option("--url <url>", "Saasport's base URL [env SAASPORT_URL] (default http://127.0.0.1:4680)")
    .option(
      "--operator-key <key>",
      "operator key [env SAASPORT_OPERATOR_KEY] (default: read from <data>/operator-key)",
    )
    .option(
      "--data <dir>",
      "data directory holding the operator key [env SAASPORT_DATA] (default ./.saasport)",
    )
    .option("--json", "print the answer as JSON");
}

export function baseUrlOf(flags: ClientFlags): string {
  return (flags.url ?? process.env.SAASPORT_URL ?? "http://127.0.0.1:4680").replace(/\/+$/, "");
}

export function operatorKeyOf(flags: ClientFlags): string {
  const explicit = flags.operatorKey ?? process.env.SAASPORT_OPERATOR_KEY;
  if (explicit) return explicit;
  const file = join(flags.data ?? process.env.SAASPORT_DATA ?? ".saasport", "operator-key");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    throw new CliError(
      `No operator key: pass --operator-key, set SAASPORT_OPERATOR_KEY, or run from the folder where Saasport keeps ${file}.`,
    );
  }
}

/** Sends a request and returns the parsed JSON answer; turns every failure into a sentence that says what to do. */
export async function request(
  flags: ClientFlags,
  method: string,
  path: string,
  options: { body?: unknown; form?: Record<string, string>; bearer?: string } = {},
): Promise<unknown> {
  const url = `${baseUrlOf(flags)}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
        ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
        ...(options.form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.form ? { body: new URLSearchParams(options.form) } : {}),
    });
  } catch {
    throw new CliError(
      `Saasport is not reachable at ${baseUrlOf(flags)}; start it with \`npx saasport\` or pass --url.`,
    );
  }
  const text = await response.text();
  const body = text ? safeJson(text) : undefined;
  if (!response.ok)
    throw new CliError(`${method} ${path} answered ${response.status}: ${describeError(body, text)}`);
  return body;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeError(body: unknown, text: string): string {
  const shaped = body as {
    error?: { message?: string; details?: { target?: string; message?: string }[] };
    error_description?: string;
  };
  if (shaped?.error && typeof shaped.error === "object") {
    const details = (shaped.error.details ?? []).map(
      (detail) => `\n  - ${detail.target ?? ""}: ${detail.message ?? ""}`,
    );
    return `${shaped.error.message ?? ""}${details.join("")}`;
  }
  if (typeof shaped?.error_description === "string") return shaped.error_description.split("\r\n")[0] ?? "";
  return text.slice(0, 500);
}

/** Prints data as JSON with --json, otherwise as aligned "label  value" lines. */
export function print(
  flags: ClientFlags,
  data: Record<string, unknown>,
  lines: Array<[string, unknown]>,
): void {
  if (flags.json) {
    console.log(JSON.stringify(data, null, 2));
    return;
  }
  const width = Math.max(...lines.map(([label]) => label.length));
  for (const [label, value] of lines) console.log(`${label.padEnd(width)}  ${String(value)}`);
}
