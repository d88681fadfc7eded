import type { FastifyReply } from "fastify";
import type { DemoIsvDeps } from "./deps.js";
import { messagePage } from "./pages/message-page.js";
import type { PublisherApp } from "./publisher-apps.js";
import { sendPage } from "./responses.js";

/** The publisher this app is registered for, or a 404 page already sent. */
export async function publisherOr404(
  deps: Pick<DemoIsvDeps, "apps">,
  publisherId: string,
  reply: FastifyReply,
): Promise<PublisherApp | undefined> {
  const publisher = publisherId.length <= 100 ? await deps.apps(publisherId) : undefined;
  if (!publisher) {
    sendPage(
      reply,
      404,
      messagePage(
        { title: "No such publisher" },
        "error",
        "The demo ISV app serves the demo catalog's publishers only.",
      ),
    );
  }
  return publisher;
}
