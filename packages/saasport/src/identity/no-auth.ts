import type { FastifyRequest } from "fastify";
import type { Settings } from "../config/settings.js";
import { mockApiVersion } from "../http/api-version.js";
import { ApiError } from "../http/errors.js";
import type { PublisherPrincipal } from "./principal.js";
import type { PublisherDirectory } from "./publisher-directory.js";

export const noAuthPublisherHeader = "x-saasport-publisher-id";

/**
 * No-auth development mode: without a usable token the publisher comes from `?publisherId=`, the
 * `x-saasport-publisher-id` header, or is the only publisher there is.
 */
export async function noAuthPrincipal(
  request: FastifyRequest,
  directory: Pick<PublisherDirectory, "getPublisher" | "onlyPublisher">,
  failureStatus: number,
): Promise<PublisherPrincipal> {
  const requested = requestedPublisherId(request);
  const publisher =
    requested === undefined ? await directory.onlyPublisher() : await directory.getPublisher(requested);
  if (publisher) return { publisherId: publisher.id, tenantId: publisher.tenantId, appId: publisher.appId };
  const message =
    requested === undefined
      ? `No-auth mode: there is not exactly one publisher, so name one with ?publisherId=<id> or the ${noAuthPublisherHeader} header (or send a bearer token).`
      : `No-auth mode: there is no publisher '${requested}'.`;
  throw new ApiError("Unauthorized", message, { status: failureStatus });
}

function requestedPublisherId(request: FastifyRequest): string | undefined {
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = query?.publisherId;
  if (typeof fromQuery === "string" && fromQuery !== "") return fromQuery;
  const fromHeader = request.headers[noAuthPublisherHeader];
  const header = Array.isArray(fromHeader) ? fromHeader[0] : fromHeader;
  return header === undefined || header === "" ? undefined : header;
}

/** A warning that stands out in the start-up log. */
function warnLoudly(log: { warn(message: string): void }, lines: readonly string[]): void {
  const banner = "!".repeat(78);
  log.warn([banner, ...lines.map((line) => `!! ${line}`), banner].join("\n"));
}

/** Logged on every start in no-auth mode, so nobody runs it by accident where it matters. */
export function logNoAuthWarning(
  settings: Pick<Settings, "noAuth">,
  log: { warn(message: string): void },
): void {
  if (!settings.noAuth) return;
  warnLoudly(log, [
    "NO-AUTH MODE: /api calls are accepted WITHOUT a bearer token.",
    `Any caller can act as any publisher (?publisherId=… or ${noAuthPublisherHeader}).`,
    "For development only; never expose this server to a network.",
  ]);
}

/** Logged on every start with the mock api-version on: its calls are served as in no-auth mode. */
export function logMockApiVersionWarning(
  settings: Pick<Settings, "mockApiVersion">,
  log: { warn(message: string): void },
): void {
  if (!settings.mockApiVersion) return;
  warnLoudly(log, [
    `MOCK API VERSION: /api calls with api-version=${mockApiVersion} are accepted WITHOUT a bearer token.`,
    `Any caller can act as any publisher (?publisherId=… or ${noAuthPublisherHeader}).`,
    "api-version=2018-08-31 calls still need a token. For development only.",
  ]);
}
