import { html, type SafeHtml } from "../../http/html.js";
import { layout, type PageFrame } from "./layout.js";

/** A page that explains one outcome: an error, a refusal, a missing page. */
export function messagePage(
  frame: PageFrame,
  tone: "error" | "notice" | "success",
  message: string,
  more?: SafeHtml,
): SafeHtml {
  return layout(
    frame,
    html`<section class="card ${tone}" ${tone === "error" ? html`role="alert"` : ""}>
<p>${message}</p>
${more ?? ""}
</section>`,
  );
}
