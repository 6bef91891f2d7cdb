/** Inline stylesheet of the HTML report: journal-like typography, booktabs tables, print rules. */
export const REPORT_CSS = `
:root { --ink: #1a1a1a; --muted: #5a5a5a; --rule: #1a1a1a; --faint: #e4e4e4; --accent: #0072B2; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 16px/1.55 Georgia, "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; }
main { max-width: 940px; margin: 0 auto; padding: 32px 28px 64px; }
header.report-head { border-bottom: 2px solid var(--rule); padding-bottom: 14px; margin-bottom: 20px; }
h1 { font-size: 28px; line-height: 1.2; margin: 0 0 6px; }
.subtitle { font-size: 17px; color: var(--muted); margin: 0 0 12px; }
h2 { font-size: 21px; margin: 40px 0 10px; padding-top: 6px; border-top: 1px solid var(--faint); }
h2 .num, nav.toc .num { color: var(--muted); font-weight: normal; margin-right: 6px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; font: 13px/1.5 Helvetica, Arial, "Liberation Sans", sans-serif; color: var(--muted); }
dl.meta dt { font-weight: bold; } dl.meta dd { margin: 0; }
nav.toc { background: #f7f7f5; border: 1px solid var(--faint); padding: 12px 20px; margin: 18px 0 8px; font: 14px/1.6 Helvetica, Arial, "Liberation Sans", sans-serif; }
nav.toc h2 { font-size: 15px; margin: 0 0 4px; border: 0; padding: 0; }
nav.toc ol { margin: 0; padding-left: 20px; } nav.toc ol ol { font-size: 13px; color: var(--muted); list-style: none; padding-left: 12px; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
p { margin: 0 0 12px; }
code { font: 13px/1.4 "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #f3f3f3; padding: 0 3px; }
figure { margin: 22px 0 28px; break-inside: avoid; page-break-inside: avoid; }
figure .chart { overflow-x: auto; }
figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { font-size: 14px; color: var(--ink); margin-top: 6px; padding: 0 4px; }
figcaption .label, .table-title .label { font-weight: bold; }
.table-block { margin: 22px 0 28px; overflow-x: auto; break-inside: avoid; page-break-inside: avoid; }
.table-title { font-size: 14px; margin: 0 0 6px; }
table { border-collapse: collapse; font: 13px/1.45 Helvetica, Arial, "Liberation Sans", sans-serif; margin: 0 0 6px; min-width: 50%; border-top: 2px solid var(--rule); border-bottom: 2px solid var(--rule); }
table caption { display: none; }
th, td { padding: 3px 10px; text-align: left; vertical-align: top; white-space: nowrap; }
thead th { border-bottom: 1px solid var(--rule); font-weight: bold; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: #fafafa; }
.table-note { font-size: 12px; color: var(--muted); margin: 2px 0 0; font-style: italic; }
.failure { margin: 22px 0 28px; border-left: 4px solid #D55E00; background: #fdf3ec; padding: 8px 14px; font: 14px/1.5 Helvetica, Arial, "Liberation Sans", sans-serif; }
.failure .failure-title { margin: 0 0 4px; } .failure .label, nav.toc a.failed { color: #D55E00; font-weight: bold; }
.failure pre { margin: 0; white-space: pre-wrap; font: 13px/1.45 "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.summary { font-size: 14px; background: #f7f7f5; border-left: 3px solid var(--accent); padding: 8px 12px; }
footer { margin-top: 48px; border-top: 1px solid var(--faint); padding-top: 10px; font-size: 12px; color: var(--muted); }
@media print {
  @page { margin: 18mm 16mm; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav.toc { page-break-after: always; background: none; }
  h2 { page-break-after: avoid; break-after: avoid; }
  a { color: inherit; }
  tbody tr:nth-child(even) { background: none; }
  figure .chart, .table-block { overflow: visible; }
}
`;
