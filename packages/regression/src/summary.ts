/** fixest-like printed summary of one result. */
import type { FeolsResult } from './result.js';
import { tidy } from './tidy.js';

export function formatNumber(x: number | null, digits = 6): string {
  if (x === null || Number.isNaN(x)) return 'NA';
  if (x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e7)) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toString();
}

export function pValueText(p: number): string {
  return p < 2.2e-16 ? '< 2.2e-16' : formatNumber(p, 3);
}

export function stars(p: number): string {
  return p < 0.01 ? '***' : p < 0.05 ? '**' : p < 0.1 ? '*' : '';
}

export function summaryText(result: FeolsResult): string {
  const rows = tidy(result);
  const lines: string[] = [];
  lines.push(`OLS estimation, Dep. Var.: ${result.spec.lhs}`);
  lines.push(`Formula: ${result.formula}`);
  lines.push(`Observations: ${result.nobs}${result.nobsDropped ? ` (${result.nobsDropped} dropped: ${describeDrops(result)})` : ''}`);
  if (result.weights) lines.push(`Weights: ${result.weights}`);
  if (result.fixef.length) lines.push(`Fixed-effects: ${result.fixef.map((f) => `${f.name}: ${f.size}`).join(',  ')}`);
  lines.push(`Standard-errors: ${result.vcovLabel}`);
  const table = [['', 'Estimate', 'Std. Error', 't value', 'Pr(>|t|)', '']];
  for (const r of rows) {
    table.push([r.term, formatNumber(r.estimate), formatNumber(r.std_error), formatNumber(r.statistic, 5), pValueText(r.p_value), stars(r.p_value)]);
  }
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  for (const row of table) lines.push(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' ').trimEnd());
  lines.push('---');
  lines.push("Signif. codes: *** 0.01, ** 0.05, * 0.1");
  if (result.collinear.length) lines.push(`Removed because of collinearity: ${result.collinear.join(', ')}`);
  lines.push(`RMSE: ${formatNumber(result.rmse, 5)}   Adj. R2: ${formatNumber(result.adjR2, 5)}`);
  lines.push(`R2: ${formatNumber(result.r2, 5)}   Within R2: ${formatNumber(result.withinR2, 5)}`);
  if (!result.meta.converged) lines.push(`WARNING: demeaning did not converge in ${result.meta.iterations} iterations`);
  return lines.join('\n');
}

function describeDrops(r: FeolsResult): string {
  const parts: string[] = [];
  for (const [v, c] of Object.entries(r.dropped.naByVariable)) parts.push(`${c} NA in ${v}`);
  if (r.dropped.zeroWeight) parts.push(`${r.dropped.zeroWeight} zero weight`);
  if (r.dropped.singletons) parts.push(`${r.dropped.singletons} singletons`);
  return parts.join(', ');
}
