interface Operation {
  summary?: string;
  description?: string;
  operationId?: string;
  tags?: string[];
}

interface Document {
  info?: { title?: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
}

const escapeHtml = (text: string): string =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

const methods = ["get", "post", "put", "patch", "delete"];

/** A plain, self-contained page listing every operation, grouped by surface. No scripts, no CDN. */
export function renderDocsPage(document: Document, baseUrl: string): string {
  const groups = new Map<string, string[]>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of methods) {
      const operation = item[method];
      if (!operation) continue;
      const group = operation.tags?.[0] ?? surfaceName(path);
      const text = operation.summary ?? operation.description ?? operation.operationId ?? "";
      const rows = groups.get(group) ?? [];
      rows.push(
        `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(text.split("\n")[0] ?? "")}</td></tr>`,
      );
      groups.set(group, rows);
    }
  }
  const sections = [...groups.entries()]
    .map(
      ([group, rows]) =>
        `<section><h2>${escapeHtml(group)}</h2><table><thead><tr><th scope="col">Method</th><th scope="col">Path</th><th scope="col">What it does</th></tr></thead><tbody>${rows.join("")}</tbody></table></section>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Saasport API reference</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem;color:#1a1a1a;background:#fff}
table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ccc;vertical-align:top}
code{font:14px/1.4 ui-monospace,monospace;word-break:break-all}a{color:#0645ad}
</style></head><body>
<h1>Saasport API reference</h1>
<p>${escapeHtml(document.info?.description ?? "")} Base URL: <code>${escapeHtml(baseUrl)}</code>. The machine-readable description is <a href="/openapi.json">/openapi.json</a>.</p>
${sections}
</body></html>`;
}

function surfaceName(path: string): string {
  if (path.startsWith("/store/")) return "Store (buyers)";
  if (path.startsWith("/partner/")) return "Partner (publishers)";
  if (path.startsWith("/operator/")) return "Operator";
  if (path.includes("oauth2") || path.includes("discovery") || path.includes("well-known"))
    return "Token service";
  return "Operations";
}
