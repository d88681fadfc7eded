import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ApiCallError } from "../api-client.js";
import type { ConsoleDeps } from "../deps.js";
import { formBodyLimit, trimmedField } from "../forms.js";
import type { FieldErrors } from "../pages/fields.js";
import { sendPage } from "../responses.js";
import { isRefusal } from "../store/api-errors.js";
import { operatorOf } from "./guard.js";
import {
  type CreatedPublisher,
  type CreatedSecret,
  type PublisherForm,
  type PublishersView,
  publisherFieldLabels,
  publishersPage,
} from "./publisher-page.js";
import type { PublisherView } from "./wire.js";

const formFields = Object.keys(publisherFieldLabels) as (keyof PublisherForm)[];

/** The form field an API problem names: `body.id`, `body.technicalConfiguration.tenantId`. */
function formFieldOf(target: string | undefined): keyof PublisherForm | undefined {
  const last = (target ?? "").split(".").pop() ?? "";
  return formFields.find((name) => name === last);
}

/**
 * The catalog's rules answer "must be a GUID …" or "tenant id must be …": a sentence that starts with
 * the field's label and ends with a full stop.
 */
function sentence(message: string, label: string): string {
  const text = /^must\b/.test(message) ? `${label} ${message}` : message;
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/** Every problem of a refused creation, next to its field (or on the form's summary). */
function formErrors(error: ApiCallError): FieldErrors {
  const problems =
    error.details.length > 0 ? error.details : [{ message: error.message, target: error.target }];
  const errors: FieldErrors = {};
  const unplaced: string[] = [];
  for (const problem of problems) {
    const field = formFieldOf(problem.target);
    if (field && errors[field] === undefined) {
      errors[field] = sentence(problem.message, publisherFieldLabels[field].replace(/ \(optional\)$/, ""));
    } else if (!field) {
      unplaced.push(sentence(problem.message, "The publisher"));
    }
  }
  if (unplaced.length > 0) errors.form = unplaced.join(" ");
  return errors;
}

function formOf(body: unknown): PublisherForm {
  const entered = Object.fromEntries(formFields.map((name) => [name, trimmedField(body, name)]));
  return entered as unknown as PublisherForm;
}

/** The catalog's publishers: the list, creation (its generated secret shown once), and new client secrets. */
export function registerPublisherRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    extra: Partial<Omit<PublishersView, "signedIn" | "publishers">>,
  ) {
    const { persona, signedIn } = operatorOf(request);
    const { body } = await deps.api.call<{ publishers: PublisherView[] }>(
      persona,
      "GET",
      "/operator/v1/publishers",
    );
    return sendPage(reply, status, publishersPage({ signedIn, publishers: body.publishers, ...extra }));
  }

  app.get("/publishers", async (request, reply) => show(request, reply, 200, {}));

  const postOptions = { bodyLimit: formBodyLimit };

  app.post("/publishers", postOptions, async (request, reply) => {
    const { persona } = operatorOf(request);
    const form = formOf(request.body);
    const { id, displayName, ...technicalConfiguration } = form;
    try {
      const { body } = await deps.api.call<CreatedPublisher>(persona, "POST", "/operator/v1/publishers", {
        id,
        ...(displayName === "" ? {} : { displayName }),
        technicalConfiguration,
      });
      // Shown in this answer, not after a redirect: the generated secret must never be in a URL.
      return show(request, reply, 201, { created: body });
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return show(request, reply, error.status, { form, errors: formErrors(error) });
    }
  });

  app.post<{ Params: { publisherId: string } }>(
    "/publishers/:publisherId/secrets",
    postOptions,
    async (request, reply) => {
      const { persona } = operatorOf(request);
      const { publisherId } = request.params;
      const description = trimmedField(request.body, "description");
      try {
        const { body: created } = await deps.api.call<CreatedSecret>(
          persona,
          "POST",
          `/operator/v1/publishers/${encodeURIComponent(publisherId)}/secrets`,
          description === "" ? {} : { description },
        );
        return show(request, reply, 201, { secret: { publisherId, created } });
      } catch (error) {
        if (!isRefusal(error)) throw error;
        return show(request, reply, error.status, {
          problem: `No client secret was created: ${error.message}`,
        });
      }
    },
  );
}
