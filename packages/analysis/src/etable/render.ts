import type { EtableGrid } from './grid.js';

export type EtableFormat = 'latex' | 'markdown' | 'html';

/** Markdown (GitHub pipe table), notes below. */
export function etableMarkdown(g: EtableGrid): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const row = (cells: readonly string[]) => `| ${cells.map(esc).join(' | ')} |`;
  const k = g.numbers.length;
  const lines = [
    ...(g.title ? [`**${esc(g.title)}**`, ''] : []),
    row(['', ...g.numbers]),
    `|---|${Array(k).fill('---:').join('|')}|`,
    row(['Model', ...g.titles]),
    row(['Dependent Var.:', ...g.dependent]),
    ...g.coefficients.flatMap((c) => [row([c.label, ...c.estimates]), row(['', ...c.ses])]),
    ...(g.fixedEffects.length ? [row(['*Fixed-effects*', ...Array(k).fill('')]), ...g.fixedEffects.map((f) => row([f.label, ...f.cells]))] : []),
    ...g.stats.map((s) => row([s.label, ...s.cells])),
    '',
    ...g.notes.map((n) => `*${n}*`),
  ];
  return lines.join('\n') + '\n';
}

const LATEX_SPECIALS: Readonly<Record<string, string>> = { '\\': '\\textbackslash{}', '&': '\\&', '%': '\\%', $: '\\$', '#': '\\#', _: '\\_', '{': '\\{', '}': '\\}', '~': '\\textasciitilde{}', '^': '\\textasciicircum{}' };

function latexEscape(s: string): string {
  return s.replace(/[\\&%$#_{}~^]/g, (c) => LATEX_SPECIALS[c]!).replace(/²/g, '$^2$');
}

/** LaTeX tabular (booktabs), stars as superscripts, notes in a footnote-size paragraph. */
export function etableLatex(g: EtableGrid): string {
  const k = g.numbers.length;
  const row = (cells: readonly string[]) => `${cells.join(' & ')} \\\\`;
  const starred = (cell: string) => {
    const m = /^(.*?)(\*+)$/.exec(cell);
    return m ? `${latexEscape(m[1]!)}$^{${m[2]}}$` : latexEscape(cell);
  };
  const lines = [
    '\\begin{table}[htbp]',
    '\\centering',
    ...(g.title ? [`\\caption{${latexEscape(g.title)}}`] : []),
    `\\begin{tabular}{l${'c'.repeat(k)}}`,
    '\\toprule',
    row(['', ...g.numbers]),
    row(['Model', ...g.titles.map(latexEscape)]),
    row(['Dependent Var.:', ...g.dependent.map(latexEscape)]),
    '\\midrule',
    ...g.coefficients.flatMap((c) => [row([latexEscape(c.label), ...c.estimates.map(starred)]), row(['', ...c.ses.map(latexEscape)])]),
    ...(g.fixedEffects.length ? ['\\midrule', row(['\\emph{Fixed-effects}', ...Array(k).fill('')]), ...g.fixedEffects.map((f) => row([latexEscape(f.label), ...f.cells]))] : []),
    '\\midrule',
    ...g.stats.map((s) => row([latexEscape(s.label), ...s.cells.map(latexEscape)])),
    '\\bottomrule',
    '\\end{tabular}',
    '',
    `\\par\\raggedright\\footnotesize ${g.notes.map(latexEscape).join(' ')}`,
    '\\end{table}',
  ];
  return lines.join('\n') + '\n';
}

function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** HTML table: thead with model numbers, titles and dependent variables; tbody coefficients, FE and statistics; caption and notes. */
export function etableHtml(g: EtableGrid): string {
  const k = g.numbers.length;
  const cells = (tag: 'th' | 'td', xs: readonly string[]) => xs.map((x) => `<${tag}>${htmlEscape(x)}</${tag}>`).join('');
  // body rows: the label is the row header
  const tr = (xs: readonly string[], cls?: string) => `<tr${cls ? ` class="${cls}"` : ''}><th scope="row">${htmlEscape(xs[0]!)}</th>${cells('td', xs.slice(1))}</tr>`;
  const lines = [
    '<table class="etable">',
    ...(g.title ? [`<caption>${htmlEscape(g.title)}</caption>`] : []),
    '<thead>',
    `<tr>${cells('th', ['', ...g.numbers])}</tr>`,
    `<tr>${cells('th', ['Model', ...g.titles])}</tr>`,
    `<tr>${cells('th', ['Dependent Var.:', ...g.dependent])}</tr>`,
    '</thead>',
    '<tbody>',
    ...g.coefficients.flatMap((c) => [tr([c.label, ...c.estimates], 'estimate'), tr(['', ...c.ses], 'se')]),
    ...(g.fixedEffects.length ? [tr(['Fixed-effects', ...Array(k).fill('')], 'section'), ...g.fixedEffects.map((f) => tr([f.label, ...f.cells], 'fe'))] : []),
    ...g.stats.map((s) => tr([s.label, ...s.cells], 'stat')),
    '</tbody>',
    `<tfoot><tr><td colspan="${k + 1}">${g.notes.map(htmlEscape).join(' ')}</td></tr></tfoot>`,
    '</table>',
  ];
  return lines.join('\n') + '\n';
}
