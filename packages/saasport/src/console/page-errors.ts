import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { toApiError } from "../http/error-handler.js";
import { ApiCallError } from "./api-client.js";
import { messagePage } from "./pages/layout.js";
import { sendPage } from "./responses.js";
import { signedInOf } from "./sessions/request-session.js";

const titles: Record<number, string> = {
  400: "That did not work",
  403: "Not allowed",
  404: "Not found",
  409: "Not possible right now",
  413: "Too much data",
};

/**
 * Errors on console pages are pages: an API's refusal keeps its status and message; a failure inside
 * the console is logged and shown as a plain 500 without details.
 */
export function sendErrorPage(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let status: number;
  let message: string;
  if (error instanceof ApiCallError) {
    // A 401 from an API means the console's own credentials failed: not the visitor's doing.
    status = error.status >= 500 || error.status === 401 ? 502 : error.status;
    message = status === 502 ? "Saasport could not answer this page. Try again in a moment." : error.message;
  } else {
    const apiError = toApiError(error);
    status = apiError.status;
    message = status >= 500 ? "Something went wrong on this page. Try again in a moment." : apiError.message;
  }
  if (status >= 500) request.log.error({ err: error }, "console page failed");
  return sendPage(
    reply,
    status,
    messagePage(
      { title: titles[status] ?? "Something went wrong", signedIn: signedInOf(request) },
      "problem",
      message,
      { href: "/console/", label: "Back to the console" },
    ),
  );
}

/** The console's error page and, in a prefixed scope, its 404 page. */
export function installPageErrors(scope: FastifyInstance, options: { notFound: boolean }): void {
  scope.setErrorHandler((error: FastifyError, request, reply) => sendErrorPage(error, request, reply));
  if (!options.notFound) return;
  scope.setNotFoundHandler((request, reply) =>
    sendPage(
      reply,
      404,
      messagePage(
        { title: "Not found", signedIn: signedInOf(request) },
        "problem",
        "There is no such page in the console.",
        { href: "/console/", label: "Back to the console" },
      ),
    ),
  );
}
