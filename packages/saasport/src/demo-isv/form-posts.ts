import type { FastifyReply } from "fastify";
import { type DemoIsvDeps, frameFor } from "./deps.js";
import { messagePage } from "./pages/message-page.js";
import type { PublisherApp } from "./publisher-apps.js";
import { sendPage } from "./responses.js";

/** A field of a posted form (the body parser gives forms as a record of strings). */
export function formField(body: unknown, name: string): string | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

/** Answers a form post whose anti-forgery token is missing, wrong or expired (403), and logs it. */
export async function refuseForm(
  deps: DemoIsvDeps,
  publisher: PublisherApp,
  reply: FastifyReply,
  subscriptionId?: string,
): Promise<FastifyReply> {
  await deps.log.add(
    {
      publisherId: publisher.publisherId,
      subscriptionId,
      kind: "form-refused",
      summary: "A form was posted without a valid anti-forgery token",
    },
    deps.clock.now(),
  );
  return sendPage(
    reply,
    403,
    messagePage(
      frameFor(publisher, "This form has expired"),
      "error",
      "The form was not sent from this app's page, or the page is too old. Go back, reload the page and try again.",
    ),
  );
}
