import type { PanelFrame } from './frame.js';
import { panelIndex } from './panel-index.js';
import { validatePanel } from './validate.js';

export interface ColumnSummary {
  readonly name: string;
  readonly type: 'numeric' | 'categorical';
  /** Non-missing values. */
  readonly n: number;
  readonly missing: number;
  /** Numeric columns only (null for categorical columns or when n = 0). sd is the sample sd (n - 1). */
  readonly mean: number | null;
  readonly sd: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** Categorical columns only: number of distinct levels. */
  readonly levels: number | null;
}

export interface UnitGap {
  readonly unit: string | number;
  /** Periods of the panel's grid this unit has no row for. */
  readonly missing: readonly number[];
}

export interface PanelFacts {
  /** Unit labels (numbers when the unit column is numeric). */
  readonly units: readonly (string | number)[];
  /** Distinct time values, ascending. */
  readonly periods: readonly number[];
  readonly nobs: number;
  /** Every unit has a row in every period (missing values inside rows do not count). */
  readonly balanced: boolean;
  readonly unitsWithGaps: readonly UnitGap[];
  readonly columns: readonly ColumnSummary[];
}

/** Panel facts and the descriptive table (N, mean, sd, min, max) of every column. */
export function describePanel(frame: PanelFrame): PanelFacts {
  validatePanel(frame);
  const { unitLabels, periods, periodIdx, unitStart, order } = panelIndex(frame);
  const nPeriods = periods.length;
  const unitsWithGaps: UnitGap[] = [];
  const present = new Uint8Array(nPeriods);
  for (let u = 0; u < unitLabels.length; u++) {
    const from = unitStart[u]!;
    const to = unitStart[u + 1]!;
    if (to - from === nPeriods) continue; // duplicates are excluded by validation, so a full count is a full row set
    present.fill(0);
    for (let j = from; j < to; j++) present[periodIdx[order[j]!]!] = 1;
    const missing: number[] = [];
    for (let p = 0; p < nPeriods; p++) if (!present[p]) missing.push(periods[p]!);
    unitsWithGaps.push(Object.freeze({ unit: unitLabels[u]!, missing: Object.freeze(missing) }));
  }
  const columns = frame.columnNames.map((name) => Object.freeze(summarizeColumn(frame, name)));
  return Object.freeze({
    units: Object.freeze([...unitLabels]),
    periods: Object.freeze(Array.from(periods)),
    nobs: frame.nrows,
    balanced: unitsWithGaps.length === 0,
    unitsWithGaps: Object.freeze(unitsWithGaps),
    columns: Object.freeze(columns),
  });
}

function summarizeColumn(frame: PanelFrame, name: string): ColumnSummary {
  if (frame.isCategorical(name)) {
    const { codes, levels } = frame.codes(name);
    let missing = 0;
    for (let i = 0; i < codes.length; i++) if (codes[i]! < 0) missing++;
    return { name, type: 'categorical', n: codes.length - missing, missing, mean: null, sd: null, min: null, max: null, levels: levels.length };
  }
  const x = frame.numeric(name);
  let n = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v !== v) continue;
    n++;
    // Welford: stable for large means (e.g. years) where sum-of-squares would cancel.
    const d = v - mean;
    mean += d / n;
    m2 += d * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    name,
    type: 'numeric',
    n,
    missing: x.length - n,
    mean: n > 0 ? finite(mean) : null,
    sd: n > 1 ? finite(Math.sqrt(m2 / (n - 1))) : null,
    min: n > 0 ? finite(min) : null,
    max: n > 0 ? finite(max) : null,
    levels: null,
  };
}

/** The descriptive table (Variable, N, Mean, SD, Min, Max) as aligned text or a Markdown table. */
export function formatDescriptiveTable(facts: PanelFacts, style: 'text' | 'markdown' = 'text'): string {
  const header = ['Variable', 'N', 'Mean', 'SD', 'Min', 'Max'];
  const rows = facts.columns.map((c) =>
    c.type === 'categorical'
      ? [c.name, String(c.n), `(${c.levels} levels)`, '', '', '']
      : [c.name, String(c.n), num(c.mean), num(c.sd), num(c.min), num(c.max)],
  );
  const title =
    `${facts.units.length} units x ${facts.periods.length} periods` +
    (facts.periods.length ? ` (${facts.periods[0]}-${facts.periods[facts.periods.length - 1]})` : '') +
    `, ${facts.nobs} observations, ${facts.balanced ? 'balanced' : `unbalanced (${facts.unitsWithGaps.length} units with gaps)`}`;
  if (style === 'markdown') {
    const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
    return [title, '', line(header), line(header.map((_, i) => (i === 0 ? ':---' : '---:'))), ...rows.map(line)].join('\n') + '\n';
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const pad = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const rule = '-'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  return [title, rule, pad(header), rule, ...rows.map(pad), rule].join('\n') + '\n';
}

/** Four significant decimals for ordinary magnitudes, exponent form for very large or small ones. */
function num(v: number | null): string {
  if (v === null) return '';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e7 || a < 1e-3)) return v.toExponential(3);
  return v.toFixed(Number.isInteger(v) ? 0 : 3);
}
