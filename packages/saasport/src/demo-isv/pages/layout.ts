import { html, raw, type SafeHtml } from "../../http/html.js";

const styles = raw(`
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#f4f5f7}
header{background:#0f3d6e;color:#fff;padding:.75rem 1rem}
header a{color:#fff}
main{max-width:48rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border:1px solid #c9ced6;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.25rem 1rem;margin:0}
dt{font-weight:600}
dd{margin:0;overflow-wrap:anywhere}
button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:.4rem;background:#0b57d0;color:#fff;cursor:pointer}
button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid #f2a900;outline-offset:2px}
a{color:#0b4ea2}
.notice{border-left:4px solid #0b57d0}
.error{border-left:4px solid #b3261e}
.success{border-left:4px solid #146c2e}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{text-align:left;padding:.4rem;border-bottom:1px solid #c9ced6;vertical-align:top}
td{overflow-wrap:anywhere}
fieldset{border:1px solid #c9ced6;border-radius:.4rem}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem}
pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:.25rem 0 0}
@media (max-width:32rem){dl{grid-template-columns:1fr}dt{margin-top:.5rem}
 table,thead,tbody,tr,th,td{display:block}thead{display:none}td{border:0;padding:.1rem 0}tr{border-bottom:1px solid #c9ced6;padding:.5rem 0}}
`);

export interface PageFrame {
  title: string;
  /** The publisher whose app this is: shown in the header, with a link to its dashboard. */
  publisher?: { id: string; displayName: string } | undefined;
}

export function layout(frame: PageFrame, body: SafeHtml): SafeHtml {
  const app = frame.publisher;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title}${app ? ` · ${app.displayName} (demo app)` : ""}</title>
<style>${styles}</style>
</head>
<body>
<header>${
    app
      ? html`<a href="/demo-isv/${encodeURIComponent(app.id)}/">${app.displayName}</a> · demo ISV app on Saasport`
      : "Demo ISV app on Saasport"
  }</header>
<main>
<h1>${frame.title}</h1>
${body}
</main>
</body>
</html>
`;
}
