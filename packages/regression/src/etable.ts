/** Regression table across results (fixest etable): Markdown, LaTeX or HTML. */
import type { FeolsResult } from './result.js';
import { stars } from './summary.js';
import { tidy } from './tidy.js';

export interface EtableOptions {
  readonly format?: 'markdown' | 'latex' | 'html';
  /** Decimal places of estimates and SEs (default 4). */
  readonly digits?: number;
  /** Column titles (default: the dependent variables). */
  readonly titles?: readonly string[];
  /** Show significance stars (default true: * 0.1, ** 0.05, *** 0.01). */
  readonly stars?: boolean;
}


/** The table as a grid of strings: header, coefficient/SE rows, then FE and fit-statistic rows. */
export function etableGrid(results: readonly FeolsResult[], opts: EtableOptions = {}): { header: string[]; body: string[][]; footer: string[][] } {
  if (results.length === 0) throw new Error('etable: give at least one result');
  const digits = opts.digits ?? 4;
  if (opts.titles && opts.titles.length !== results.length) throw new Error(`etable: option titles has ${opts.titles.length} entries for ${results.length} results`);
  const header = ['', ...results.map((r, j) => opts.titles?.[j] ?? r.spec.lhs)];
  const terms: string[] = [];
  for (const r of results) for (const t of r.coefNames) if (!terms.includes(t)) terms.push(t);
  const tidied = results.map((r) => tidy(r));
  const body: string[][] = [];
  for (const term of terms) {
    const est: string[] = [term];
    const se: string[] = [''];
    for (const rows of tidied) {
      const row = rows.find((x) => x.term === term);
      est.push(row ? `${row.estimate.toFixed(digits)}${opts.stars === false ? '' : stars(row.p_value)}` : '');
      se.push(row ? `(${row.std_error.toFixed(digits)})` : '');
    }
    body.push(est, se);
  }
  const footer: string[][] = [];
  const feNames: string[] = [];
  for (const r of results) for (const f of r.fixef) if (!feNames.includes(f.name)) feNames.push(f.name);
  for (const fe of feNames) footer.push([`${fe} FE`, ...results.map((r) => (r.fixef.some((f) => f.name === fe) ? 'Yes' : 'No'))]);
  footer.push(['S.E. type', ...results.map((r) => r.vcovLabel)]);
  footer.push(['Observations', ...results.map((r) => String(r.nobs))]);
  footer.push(['R²', ...results.map((r) => r.r2.toFixed(5))]);
  if (results.some((r) => r.withinR2 !== null)) footer.push(['Within R²', ...results.map((r) => (r.withinR2 === null ? '' : r.withinR2.toFixed(5)))]);
  return { header, body, footer };
}

export function etable(results: readonly FeolsResult[], opts: EtableOptions = {}): string {
  const grid = etableGrid(results, opts);
  const format = opts.format ?? 'markdown';
  const note = opts.stars === false ? '' : 'Signif. codes: *** 0.01, ** 0.05, * 0.1; standard errors in parentheses.';
  if (format === 'markdown') return markdown(grid, note);
  if (format === 'latex') return latex(grid, note);
  if (format === 'html') return html(grid, note);
  throw new Error(`etable: option format must be 'markdown', 'latex' or 'html', got '${String(format)}'`);
}

type Grid = ReturnType<typeof etableGrid>;

function markdown(g: Grid, note: string): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  const out = [line(g.header), `|${g.header.map((_, j) => (j === 0 ? ':---' : '---:')).join('|')}|`];
  for (const r of g.body) out.push(line(r));
  for (const r of g.footer) out.push(line(r.map((c, j) => (j === 0 ? `**${c}**` : c))));
  if (note) out.push('', note);
  return out.join('\n');
}

const texEscape = (s: string) => s.replace(/\\/g, '\\textbackslash{}').replace(/([&%$#_{}])/g, '\\$1').replace(/\^/g, '\\^{}').replace(/R²/g, 'R$^2$');
const texCell = (s: string) => texEscape(s).replace(/(\*+)$/, (m) => `$^{${m}}$`);

function latex(g: Grid, note: string): string {
  const cols = g.header.length;
  const out = [`\\begin{tabular}{l${'c'.repeat(cols - 1)}}`, '\\hline', `${g.header.map(texEscape).join(' & ')} \\\\`, '\\hline'];
  for (const r of g.body) out.push(`${r.map(texCell).join(' & ')} \\\\`);
  out.push('\\hline');
  for (const r of g.footer) out.push(`${r.map(texCell).join(' & ')} \\\\`);
  out.push('\\hline', '\\end{tabular}');
  if (note) out.push(`% ${note}`);
  return out.join('\n');
}

const htmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function html(g: Grid, note: string): string {
  const row = (cells: readonly string[], tag: 'td' | 'th') => `<tr>${cells.map((c) => `<${tag}>${htmlEscape(c)}</${tag}>`).join('')}</tr>`;
  const out = ['<table class="etable">', `<thead>${row(g.header, 'th')}</thead>`, '<tbody>'];
  for (const r of g.body) out.push(row(r, 'td'));
  out.push('</tbody>', '<tfoot>');
  for (const r of g.footer) out.push(row(r, 'td'));
  out.push('</tfoot>');
  if (note) out.push(`<caption style="caption-side: bottom">${htmlEscape(note)}</caption>`);
  out.push('</table>');
  return out.join('\n');
}
