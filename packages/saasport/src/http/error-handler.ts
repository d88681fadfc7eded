import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiError, badArgument, type ErrorDetail } from "./errors.js";
import { type Surface, surfaceOf } from "./surfaces.js";

/** Turns anything thrown by a route into an ApiError; unknown errors become UnexpectedError (500). */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const fastifyError = error as Partial<FastifyError> & { validation?: unknown[] };
  if (Array.isArray(fastifyError.validation)) return fromValidation(fastifyError);
  switch (fastifyError.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new ApiError("PayloadTooLarge");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new ApiError("UnsupportedMediaType");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return badArgument("body", "The request body is not valid JSON.", "InvalidJson");
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new ApiError("BadArgument", "The Content-Length header does not match the body.");
  }
  if (error instanceof SyntaxError)
    return badArgument("body", "The request body is not valid JSON.", "InvalidJson");
  const status = fastifyError.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new ApiError("BadArgument", fastifyError.message ?? "Bad request.", { status });
  }
  return new ApiError("UnexpectedError");
}

function fromValidation(
  error: Partial<FastifyError> & { validation?: unknown[]; validationContext?: string },
): ApiError {
  const context = error.validationContext ?? "body";
  const details: ErrorDetail[] = (error.validation as Array<Record<string, unknown>>)
    .slice(0, 10)
    .map((item) => {
      const path = String(item.instancePath ?? "")
        .replace(/^\//, "")
        .replaceAll("/", ".");
      const missing = (item.params as Record<string, unknown> | undefined)?.missingProperty;
      const target = [context, path, typeof missing === "string" ? missing : ""].filter(Boolean).join(".");
      const required = item.keyword === "required";
      return {
        code: required ? "RequiredField" : "InvalidValue",
        message: required
          ? `The ${String(missing)} field is required.`
          : `${target} ${String(item.message ?? "is invalid")}.`,
        target,
      };
    });
  const first = details[0];
  return new ApiError("BadArgument", first ? first.message : "The request is invalid.", {
    target: first?.target ?? context,
    details,
  });
}

export function renderError(surface: Surface, error: ApiError): unknown {
  if (error.code === "ApiVersionUnspecified" || error.code === "UnsupportedApiVersion") {
    return { Error: { Code: error.code, Message: error.message } };
  }
  if (surface === "fulfillment" || surface === "metering") {
    if (error.status >= 500) return { error: { code: error.code, message: error.message } };
    const code = error.code === "SubscriptionLocked" ? "BadRequest" : error.code;
    return {
      code,
      message: error.message,
      ...(error.target === undefined ? {} : { target: error.target }),
      ...(error.details === undefined ? {} : { details: error.details }),
    };
  }
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.target === undefined ? {} : { target: error.target }),
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.headers) reply.headers(error.headers);
  if (error.status === 401 && !reply.hasHeader("www-authenticate"))
    reply.header("www-authenticate", "Bearer");
  return reply
    .code(error.status)
    .type("application/json; charset=utf-8")
    .send(renderError(surfaceOf(request.url), error));
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) request.log.error({ err: error }, "request failed");
    return sendError(request, reply, apiError);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      new ApiError("NotFound", `No route for ${request.method} ${request.url.split("?")[0]}.`),
    ),
  );
}
