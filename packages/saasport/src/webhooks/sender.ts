import type { Agent } from "undici";
import { cachedLookup } from "./dns-cache.js";
import type { CallResult } from "./retry-policy.js";

/** How much of the receiver's answer the delivery log keeps. */
export const responseSnippetChars = 512;

export interface CallRecord {
  result: CallResult;
  /** The start of the receiver's answer, when it answered. */
  snippet: string | null;
  durationMs: number;
}

export interface WebhookSender {
  post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<CallRecord>;
  /** Aborts the calls in flight (they are recorded as failed attempts and retried later). */
  abortAll(reason: string): void;
  close(): Promise<void>;
}

/**
 * POSTs webhook calls over a keep-alive connection pool per receiver origin. The HTTP client is loaded
 * with the first call: it is a large module, and loading it with the rest slowed every start.
 */
export function createWebhookSender(connectionsPerOrigin = 64): WebhookSender {
  let client: Promise<{ agent: Agent; request: typeof import("undici").default.request }> | undefined;
  const clientOnce = () => {
    // A CommonJS module: its exports are the default export, in the bundle as in Node.
    client ??= import("undici").then(({ default: { Agent, request } }) => ({
      request,
      agent: new Agent({
        connections: connectionsPerOrigin,
        keepAliveTimeout: 30_000,
        pipelining: 1,
        connect: { lookup: cachedLookup() },
      }),
    }));
    return client;
  };
  const inFlight = new Set<AbortController>();
  return {
    async post(url, body, headers, timeoutMs) {
      const started = performance.now();
      const controller = new AbortController();
      inFlight.add(controller);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      try {
        const { agent, request } = await clientOnce();
        const response = await request(url, {
          method: "POST",
          body,
          headers,
          dispatcher: agent,
          signal: controller.signal,
        });
        const snippet = await readSnippet(response.body);
        return {
          result: { kind: "response", statusCode: response.statusCode },
          snippet,
          durationMs: Math.round(performance.now() - started),
        };
      } catch (error) {
        const durationMs = Math.round(performance.now() - started);
        if (timedOut) return { result: { kind: "timeout" }, snippet: null, durationMs };
        return { result: { kind: "networkError", error: describe(error) }, snippet: null, durationMs };
      } finally {
        clearTimeout(timer);
        inFlight.delete(controller);
      }
    },
    abortAll(reason) {
      for (const controller of inFlight) controller.abort(new Error(reason));
    },
    close: async () => {
      if (client) await (await client).agent.close();
    },
  };
}

/** Reads the whole answer (so the connection can be reused) but keeps only its start. */
async function readSnippet(body: AsyncIterable<Buffer>): Promise<string> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  const limit = responseSnippetChars * 4;
  for await (const chunk of body) {
    if (keptBytes < limit) {
      kept.push(chunk);
      keptBytes += chunk.length;
    }
  }
  return Buffer.concat(kept).toString("utf8").slice(0, responseSnippetChars);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = (error as { code?: unknown }).code ?? (cause as { code?: unknown } | undefined)?.code;
  const message = cause instanceof Error && cause.message ? cause.message : error.message;
  return typeof code === "string" ? `${code}: ${message}` : message;
}
