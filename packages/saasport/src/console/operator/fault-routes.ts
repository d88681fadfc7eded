import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { html, type SafeHtml } from "../../http/html.js";
import type { ConsoleDeps } from "../deps.js";
import { formBodyLimit, trimmedField } from "../forms.js";
import { type FieldErrors, problemSummary, textField } from "../pages/fields.js";
import { csrfInput, type Flash, layout, type SignedIn } from "../pages/layout.js";
import { seeOther, sendPage } from "../responses.js";
import { fieldOf, isRefusal, readableMessage } from "../store/api-errors.js";
import { operatorOf } from "./guard.js";
import { buttonForm, instantText, operatorPaths, selectField } from "./ui.js";
import type { FaultView, PublisherView } from "./wire.js";

const outcomes: Record<string, Flash> = {
  added: { tone: "success", text: "The fault is added: matching webhook deliveries now get it." },
  cleared: { tone: "success", text: "The fault is cleared." },
  "all-cleared": { tone: "success", text: "Every fault is cleared." },
};

interface FaultForm {
  status: string;
  count: string;
  publisherId: string;
}

function faultsPage(view: {
  signedIn: SignedIn;
  faults: FaultView[];
  publishers: PublisherView[];
  flash?: Flash | undefined;
  form?: FaultForm | undefined;
  errors?: FieldErrors | undefined;
}): SafeHtml {
  const { signedIn, faults, form, errors = {} } = view;
  const messages = Object.values(errors).filter((message): message is string => !!message);
  return layout(
    { title: "Fault injection", current: "operator-faults", signedIn, flash: view.flash },
    html`<p>Make webhook deliveries to publishers fail on purpose, to see how their apps cope. The oldest matching fault decides.</p>
<h2>Active faults</h2>
${
  faults.length === 0
    ? html`<p class="card notice" id="no-faults">No fault is active: every delivery goes out normally.</p>`
    : html`<table>
<caption class="visually-hidden">Active faults, oldest first</caption>
<thead><tr><th scope="col">Fault</th><th scope="col">Publisher</th><th scope="col" class="number">Remaining</th><th scope="col" class="number">Applied</th><th scope="col">Added</th><th scope="col">Clear</th></tr></thead>
<tbody>${faults.map(
        (fault) => html`<tr>
<td data-label="Fault">${fault.label}</td>
<td data-label="Publisher">${fault.publisherId ?? "Every publisher"}</td>
<td data-label="Remaining" class="number">${fault.remaining === null ? "Until cleared" : String(fault.remaining)}</td>
<td data-label="Applied" class="number">${String(fault.hits)}</td>
<td data-label="Added">${instantText(fault.createdAt)}</td>
<td data-label="Clear">${buttonForm(signedIn, `${operatorPaths.faults}/${encodeURIComponent(fault.id)}/clear`, html`Clear<span class="visually-hidden"> ${fault.label}</span>`, { tone: "secondary" })}</td>
</tr>`,
      )}</tbody>
</table>
<div class="actions">${buttonForm(signedIn, `${operatorPaths.faults}/clear`, "Clear every fault", { tone: "danger" })}</div>`
}
<section class="card" aria-labelledby="add-fault">
<h2 id="add-fault">Add a webhook fault</h2>
${problemSummary("The fault was not added", messages)}
<form method="post" action="${operatorPaths.faults}" novalidate>
${csrfInput(signedIn.csrfToken)}
${textField({ name: "status", label: "HTTP status", type: "number", hint: "What the publisher's webhook seems to answer: 400 to 599.", value: form?.status ?? "503", error: errors.status, required: true, attributes: html`min="400" max="599" inputmode="numeric"` })}
${textField({ name: "count", label: "How many deliveries (optional)", type: "number", hint: "Leave empty to fail every delivery until the fault is cleared.", value: form?.count ?? "", error: errors.count, attributes: html`min="1" inputmode="numeric"` })}
${selectField({
  name: "publisherId",
  label: "Publisher",
  choices: [
    { value: "", label: "Every publisher" },
    ...view.publishers.map((publisher) => ({ value: publisher.id, label: publisher.displayName })),
  ],
  value: form?.publisherId ?? "",
  error: errors.publisherId,
})}
<button type="submit">Add the fault</button>
</form>
</section>`,
  );
}

/** The webhook faults the operator injects. */
export function registerFaultRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    extra: { flash?: Flash | undefined; form?: FaultForm; errors?: FieldErrors },
  ) {
    const { persona, signedIn } = operatorOf(request);
    const [{ body: faults }, { body: publishers }] = await Promise.all([
      deps.api.call<{ faults: FaultView[] }>(persona, "GET", "/operator/v1/faults"),
      deps.api.call<{ publishers: PublisherView[] }>(persona, "GET", "/operator/v1/publishers"),
    ]);
    return sendPage(
      reply,
      status,
      faultsPage({ signedIn, faults: faults.faults, publishers: publishers.publishers, ...extra }),
    );
  }

  app.get<{ Querystring: { done?: string } }>("/faults", async (request, reply) =>
    show(request, reply, 200, { flash: outcomes[request.query.done ?? ""] }),
  );

  const postOptions = { bodyLimit: formBodyLimit };
  /** A whole number as a number (the API decides what is acceptable), anything else as entered. */
  const numberOf = (text: string) => (/^-?\d{1,9}$/.test(text) ? Number(text) : text);

  app.post("/faults", postOptions, async (request, reply) => {
    const { persona } = operatorOf(request);
    const form: FaultForm = {
      status: trimmedField(request.body, "status"),
      count: trimmedField(request.body, "count"),
      publisherId: trimmedField(request.body, "publisherId"),
    };
    if (form.status === "") {
      return show(request, reply, 400, { form, errors: { status: "Enter an HTTP status from 400 to 599." } });
    }
    try {
      await deps.api.call(persona, "POST", "/operator/v1/faults", {
        target: "webhook",
        kind: "status",
        status: numberOf(form.status),
        ...(form.count === "" ? {} : { count: numberOf(form.count) }),
        ...(form.publisherId === "" ? {} : { publisherId: form.publisherId }),
      });
      return seeOther(reply, `${operatorPaths.faults}?done=added`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const labels: Record<string, string> = {
        status: "HTTP status",
        count: "How many deliveries",
        publisherId: "Publisher",
      };
      const field =
        fieldOf(error, { status: "status", count: "count", publisherId: "publisherId" }) ?? "status";
      return show(request, reply, error.status, {
        form,
        errors: { [field]: readableMessage(error, labels[field]) },
      });
    }
  });

  app.post<{ Params: { faultId: string } }>("/faults/:faultId/clear", postOptions, async (request, reply) => {
    const { persona } = operatorOf(request);
    await deps.api.call(
      persona,
      "DELETE",
      `/operator/v1/faults/${encodeURIComponent(request.params.faultId)}`,
    );
    return seeOther(reply, `${operatorPaths.faults}?done=cleared`);
  });

  app.post("/faults/clear", postOptions, async (request, reply) => {
    const { persona } = operatorOf(request);
    await deps.api.call(persona, "DELETE", "/operator/v1/faults");
    return seeOther(reply, `${operatorPaths.faults}?done=all-cleared`);
  });
}
