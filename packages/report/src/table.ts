import { escapeCsv, escapeHtml, escapeMarkdownCell } from './escape.js';
import type { Cell, Table, TableFormat, TidyRow } from './types.js';

/** Display form of a number: fixed decimals, thousands kept readable, minus sign as '-'. */
export function formatNumber(value: number, digits = 3): string {
  if (Number.isNaN(value)) return '';
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 10 ** -digits || abs >= 1e9)) return value.toExponential(Math.max(1, digits - 1));
  return value.toFixed(digits);
}

function displayCell(cell: Cell, digits: number): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return formatNumber(cell, digits);
  return String(cell);
}

/** CSV keeps full precision (shortest round-trip form); missing is an empty field. */
function csvCell(cell: Cell): string {
  if (cell === null || (typeof cell === 'number' && Number.isNaN(cell))) return '';
  return escapeCsv(String(cell));
}

function validateTable(table: Table): void {
  if (table.columns.length === 0) throw new Error(`table '${table.title}': no columns`);
  table.rows.forEach((row, i) => {
    if (row.length !== table.columns.length) {
      throw new Error(`table '${table.title}': row ${i} has ${row.length} cells, expected ${table.columns.length} (${table.columns.join(', ')})`);
    }
  });
}

const isNumericColumn = (table: Table, c: number): boolean =>
  table.rows.length > 0 && table.rows.every((r) => r[c] === null || typeof r[c] === 'number');

function markdown(table: Table): string {
  const digits = table.digits ?? 3;
  const head = `| ${table.columns.map(escapeMarkdownCell).join(' | ')} |`;
  const rule = `|${table.columns.map((_, c) => (isNumericColumn(table, c) ? '---:' : ':---')).join('|')}|`;
  const body = table.rows.map((r) => `| ${r.map((cell) => escapeMarkdownCell(displayCell(cell, digits))).join(' | ')} |`);
  const notes = (table.notes ?? []).map((n) => `*${n.replace(/\*/g, '\\*')}*`);
  return [`**${table.title}**`, '', head, rule, ...body, ...(notes.length ? ['', ...notes] : [])].join('\n') + '\n';
}

function html(table: Table): string {
  const digits = table.digits ?? 3;
  const numeric = table.columns.map((_, c) => isNumericColumn(table, c));
  const cls = (c: number): string => (numeric[c] ? ' class="num"' : '');
  const head = table.columns.map((h, c) => `<th${cls(c)}>${escapeHtml(h)}</th>`).join('');
  const body = table.rows
    .map((r) => `<tr>${r.map((cell, c) => `<td${cls(c)}>${escapeHtml(displayCell(cell, digits))}</td>`).join('')}</tr>`)
    .join('\n');
  const notes = (table.notes ?? []).map((n) => `<p class="table-note">${escapeHtml(n)}</p>`).join('\n');
  return `<table>\n<caption>${escapeHtml(table.title)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>\n${notes}`;
}

function csv(table: Table): string {
  return [table.columns.map(escapeCsv).join(','), ...table.rows.map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
}

/** Renders a table as Markdown (GFM), an HTML fragment or RFC 4180 CSV. */
export function renderTable(table: Table, format: TableFormat): string {
  validateTable(table);
  switch (format) {
    case 'markdown':
      return markdown(table);
    case 'html':
      return html(table);
    case 'csv':
      return csv(table);
    default:
      throw new Error(`renderTable: unknown format '${String(format)}' (use markdown, html or csv)`);
  }
}

const TIDY_COLUMNS = ['term', 'group', 'time', 'event_time', 'estimate', 'std_error', 'statistic', 'p_value', 'conf_low', 'conf_high', 'conf_low_simult', 'conf_high_simult'] as const;

/** Table of broom-style tidy rows; optional columns appear only if some row has them. */
export function tidyTable(rows: readonly TidyRow[], opts: { title: string; notes?: readonly string[]; digits?: number }): Table {
  const present = TIDY_COLUMNS.filter((c) => c === 'term' || c === 'estimate' || rows.some((r) => r[c] !== undefined && r[c] !== null));
  return Object.freeze({
    title: opts.title,
    columns: present,
    rows: rows.map((r) => present.map((c) => (r[c] ?? null) as Cell)),
    notes: opts.notes ?? [],
    digits: opts.digits ?? 3,
  });
}
