/**
 * The console's stylesheet, served from /console/assets/console.css. It is kept in a module (not a
 * .css file) so that it ships inside the compiled code and the bundle without a copy step.
 *
 * Colours meet WCAG AA contrast (body text 16:1, links 8:1, white on the brand blue 9:1, badges ≥ 7:1);
 * focus is a yellow ring with a dark edge that shows on every background; below 40rem the tables
 * turn into stacked cards so nothing scrolls sideways at 360 px.
 */
export const stylesheet = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1a1a1a;background:#f5f6f8}
a{color:#0a4a9c;text-underline-offset:.15em}
a:hover{color:#062f66}
:focus-visible{outline:3px solid #ffdd00;outline-offset:0;box-shadow:0 0 0 6px #0b0c0c}
.skip-link{position:absolute;left:.5rem;top:-10rem;z-index:10;background:#ffdd00;color:#0b0c0c;padding:.5rem 1rem;font-weight:600}
.skip-link:focus{top:.5rem}
.site-header{background:#0d2f57;color:#fff}
.site-header .bar{max-width:64rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem}
.brand{color:#fff;font-weight:700;font-size:1.15rem;text-decoration:none;margin-right:auto}
.brand:hover{color:#fff;text-decoration:underline}
.site-nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.site-nav a{color:#fff;display:inline-block;padding:.35rem 0}
.site-nav a[aria-current="page"]{font-weight:700;text-decoration-thickness:3px}
.who{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;font-size:.95rem}
.who form{margin:0}
.who button{background:transparent;color:#fff;border:1px solid #fff;padding:.3rem .8rem}
.who button:hover{background:#fff;color:#0d2f57}
main{display:block;max-width:64rem;margin:0 auto;padding:1rem 1rem 3rem}
main:focus{outline:none}
h1{font-size:1.75rem;line-height:1.2;margin:.75rem 0 1rem}
h2{font-size:1.3rem;margin:1.75rem 0 .6rem}
h3{font-size:1.1rem;margin:0 0 .4rem}
p{margin:0 0 .75rem}
.lead{font-size:1.15rem;max-width:44rem}
.muted{color:#4a4f57}
.card{background:#fff;border:1px solid #c4c9d1;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.card>h2:first-child,.card>h3:first-child{margin-top:0}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:1rem;list-style:none;padding:0;margin:0 0 1.5rem}
.grid .card{margin:0;display:flex;flex-direction:column}
.grid .card .actions{margin-top:auto}
.offer{margin:0 0 2rem}
.offer>header{margin:0 0 .75rem}
.offer>header h2{margin:0 0 .25rem}
.badges{display:flex;flex-wrap:wrap;gap:.35rem;margin:0 0 .5rem;padding:0;list-style:none}
.badge{display:inline-block;font-size:.8rem;font-weight:600;line-height:1.3;padding:.15rem .5rem;border-radius:1rem;border:1px solid currentColor}
.badge-trial{background:#e6f4ea;color:#0b5524}
.badge-private{background:#f3e8fd;color:#4f2374}
.badge-preview{background:#fff4ce;color:#4d3900}
.badge-seat{background:#e8f0fe;color:#0a3f85}
.badge-good{background:#e6f4ea;color:#0b5524}
.badge-wait{background:#fff4ce;color:#4d3900}
.badge-bad{background:#fde7e7;color:#8c1d18}
.badge-off{background:#ececec;color:#3b3b3b}
.prices{list-style:none;margin:0 0 .75rem;padding:0}
.prices li{padding:.2rem 0;border-bottom:1px solid #e3e6ea}
.prices li:last-child{border-bottom:0}
.price-private{font-weight:600;color:#4f2374}
dl.facts{display:grid;grid-template-columns:minmax(9rem,max-content) 1fr;gap:.35rem 1rem;margin:0 0 .75rem}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.button,button{display:inline-block;font:inherit;font-weight:600;line-height:1.25;padding:.65rem 1.2rem;border:2px solid #0a4a9c;border-radius:.4rem;background:#0a4a9c;color:#fff;cursor:pointer;text-decoration:none;text-align:center}
.button:hover,button:hover{background:#062f66;border-color:#062f66;color:#fff}
.button-secondary,button.secondary{background:#fff;color:#0a4a9c}
.button-secondary:hover,button.secondary:hover{background:#e8f0fe;color:#062f66}
button.danger{background:#a4161a;border-color:#a4161a}
button.danger:hover{background:#7a1013;border-color:#7a1013}
.button-large{font-size:1.15rem;padding:.85rem 1.6rem}
form{margin:0}
.field{margin:0 0 1rem}
.field label,.field legend{display:block;font-weight:600;margin:0 0 .25rem}
.hint{display:block;color:#4a4f57;font-size:.9rem;margin:0 0 .35rem}
input[type=text],input[type=number],input[type=password],input[type=email],select,textarea{font:inherit;width:100%;max-width:28rem;padding:.5rem .6rem;border:2px solid #5a606b;border-radius:.3rem;background:#fff;color:#1a1a1a}
input[type=number]{max-width:10rem}
textarea{display:block;max-width:40rem;resize:vertical}
input[aria-invalid=true],select[aria-invalid=true],textarea[aria-invalid=true]{border-color:#a4161a}
fieldset{border:0;margin:0 0 1rem;padding:0;min-width:0}
fieldset>legend{font-weight:600;margin:0 0 .35rem;padding:0}
.choice{display:flex;gap:.6rem;align-items:flex-start;padding:.45rem .6rem;border:1px solid #c4c9d1;border-radius:.3rem;margin:0 0 .4rem;background:#fff}
.choice input{margin:.3rem 0 0;width:1.2rem;height:1.2rem;flex:none}
.choice label{font-weight:400;margin:0}
.field-error{display:block;color:#8c1d18;font-weight:600;margin:0 0 .35rem}
.notice{border-left:6px solid #0a4a9c}
.success{border-left:6px solid #0b5524}
.problem{border-left:6px solid #a4161a}
.problem h2,.problem h3{color:#8c1d18;margin-top:0}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #c4c9d1;margin:0 0 1rem}
.card>table:last-child{margin-bottom:0}
caption{text-align:left;font-weight:600;padding:.5rem 0}
th,td{text-align:left;padding:.55rem .6rem;border-bottom:1px solid #d8dce2;vertical-align:top}
th{background:#eef1f5}
td.number,th.number{text-align:right;font-variant-numeric:tabular-nums}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0 0}
main>.actions{margin:0 0 1rem}
.actions+form{margin-top:1.25rem}
.filters{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:flex-end}
.filters .field{flex:1 1 12rem}
.filters button{margin:0 0 1rem}
.personas .actions button{width:100%}
.site-footer{max-width:64rem;margin:0 auto;padding:1rem;color:#4a4f57;font-size:.9rem;border-top:1px solid #c4c9d1}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:40rem){
 h1{font-size:1.45rem}
 dl.facts{grid-template-columns:1fr}
 dl.facts dt{margin-top:.4rem}
 table,caption,thead,tbody,tr,th,td{display:block}
 table{border:0;background:transparent}
 thead tr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 tr{background:#fff;border:1px solid #c4c9d1;border-radius:.5rem;margin:0 0 .75rem;padding:.5rem .75rem}
 td{border:0;padding:.15rem 0;overflow-wrap:anywhere}
 td.number{text-align:left}
 td[data-label]::before{content:attr(data-label) ": ";font-weight:600}
}
@media (prefers-reduced-motion:reduce){*{scroll-behavior:auto!important;transition:none!important}}
@media (forced-colors:active){.badge{border:1px solid CanvasText}}
`;
