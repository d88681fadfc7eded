import type { FastifyRequest } from "fastify";
import { ApiError } from "./errors.js";

export const supportedApiVersion = "2018-08-31";

/** Every marketplace call needs `api-version=2018-08-31` in its query string (spec §1.2). */
export async function requireApiVersion(request: FastifyRequest): Promise<void> {
  const query = request.query as Record<string, unknown> | undefined;
  const raw = query?.["api-version"];
  const version = Array.isArray(raw) ? raw[0] : raw;
  if (version === undefined || version === "") {
    throw new ApiError("ApiVersionUnspecified");
  }
  if (version !== supportedApiVersion) {
    const shown = String(version).slice(0, 100);
    throw new ApiError(
      "UnsupportedApiVersion",
      `The HTTP resource that matches the request URI '${request.url.split("?")[0]}' does not support the API version '${shown}'.`,
    );
  }
}
