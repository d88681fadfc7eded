import type { FastifyRequest } from "fastify";
import type { Settings } from "../config/settings.js";
import { ApiError } from "./errors.js";

export const supportedApiVersion = "2018-08-31";

/**
 * The mock version Microsoft documented in 2019–2020 (spec §1.2): same paths, no authentication.
 * Accepted only with `settings.mockApiVersion`.
 */
export const mockApiVersion = "2018-09-15";

declare module "fastify" {
  interface FastifyRequest {
    /** The accepted api-version of a marketplace call (set by the api-version check). */
    apiVersion?: string;
  }
}

/**
 * Every marketplace call needs `api-version=2018-08-31` in its query string (spec §1.2), or
 * `2018-09-15` when the mock version is switched on.
 */
export function apiVersionCheck(settings: Pick<Settings, "mockApiVersion">) {
  return async function requireApiVersion(request: FastifyRequest): Promise<void> {
    const query = request.query as Record<string, unknown> | undefined;
    const raw = query?.["api-version"];
    const version = Array.isArray(raw) ? raw[0] : raw;
    if (version === undefined || version === "") {
      throw new ApiError("ApiVersionUnspecified");
    }
    if (version === supportedApiVersion || (settings.mockApiVersion && version === mockApiVersion)) {
      request.apiVersion = version;
      return;
    }
    const shown = String(version).slice(0, 100);
    throw new ApiError(
      "UnsupportedApiVersion",
      `The HTTP resource that matches the request URI '${request.url.split("?")[0]}' does not support the API version '${shown}'.`,
    );
  };
}

/** The api-version the client called with, for the absolute URLs it is given back (Operation-Location, @nextLink). */
export function apiVersionOf(request: FastifyRequest): string {
  return request.apiVersion ?? supportedApiVersion;
}
