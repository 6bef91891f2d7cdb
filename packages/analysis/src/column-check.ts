import type { PanelFrame } from '@panel-lab/panel';
import { columnReferences, type ColumnReference } from './column-fields.js';
import { AnalysisInputError } from './failure.js';
import { treatmentProblems } from './treatment-check.js';

/**
 * Checks the columns an analysis names against the data before it runs, so a mistake is reported
 * in the spec's terms (`outcome 'D' (outcomes[0]) not found; columns are ...`) rather than by
 * whichever library function meets it first. Throws one AnalysisInputError listing every problem.
 */
export function checkAnalysisColumns(frame: PanelFrame, options: object): void {
  const problems = columnReferences(options).flatMap((ref) => {
    const problem = columnProblem(frame, ref);
    return problem ? [problem] : [];
  });
  // the coding checks need the columns to be there and numeric: only when the names passed
  if (problems.length === 0) problems.push(...treatmentProblems(frame, options as Record<string, unknown>));
  if (problems.length === 0) return;
  const missing = problems.some((p) => p.includes('not found'));
  throw new AnalysisInputError(`${problems.join('; ')}${missing ? `; columns are: ${frame.columnNames.join(', ')}` : ''}`);
}

function columnProblem(frame: PanelFrame, ref: ColumnReference): string | null {
  const named = `${ref.role.word} '${ref.column}' (${ref.field})`;
  if (!frame.has(ref.column)) {
    const near = closestName(ref.column, frame.columnNames);
    return `${named} not found${near ? ` (did you mean '${near}'?)` : ''}`;
  }
  if (!ref.role.numeric) return null;
  if (frame.isCategorical(ref.column)) return `${named} is categorical; a ${ref.role.word} must be numeric`;
  if (ref.role.coding === 'cohort') return cohortProblem(frame.numeric(ref.column), periodsOf(frame), named);
  if (ref.role.coding === 'indicator') {
    const values = frame.numeric(ref.column);
    return indicatorProblem(values, periodsOf(frame), named) ?? constantWithinUnits(values, frame.codes(frame.schema.unit).codes, named);
  }
  return null;
}

function periodsOf(frame: PanelFrame): Set<number> {
  return new Set(frame.numeric(frame.schema.time));
}

/** A cohort column holds first treated periods; one holding only 0 and 1 (1 not a period) is a treatment dummy in the wrong place. */
function cohortProblem(values: Float64Array, periods: ReadonlySet<number>, named: string): string | null {
  const treated = nonZeroValues(values);
  if (treated.size !== 1 || !treated.has(1) || periods.has(1)) return null;
  return `${named} holds only 0 and 1, so it looks like a 0/1 treatment indicator; a cohort column holds each unit's first treated period (e.g. ${[...periods].at(-1) ?? 2016}; 0 or missing = never treated)`;
}

/** A treatment indicator whose non-zero values are all periods of the panel is a cohort column in the wrong place. */
function indicatorProblem(values: Float64Array, periods: ReadonlySet<number>, named: string): string | null {
  const treated = nonZeroValues(values);
  if (treated.size === 0 || [...treated].some((v) => !periods.has(v)) || (treated.size === 1 && treated.has(1))) return null;
  const shown = [...treated].sort((a, b) => a - b).slice(0, 5).join(', ');
  return `${named} holds first treated periods (${shown}), so it looks like a cohort column; a treatment is the 0/1 indicator D_it (1 from the first treated period on)`;
}

/** D_it must switch on at adoption; a 0/1 column fixed within every unit is an ever-treated group dummy (collinear with unit effects). */
function constantWithinUnits(values: Float64Array, unit: Int32Array, named: string): string | null {
  const first = new Map<number, number>();
  let treated = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (v !== 0) treated = true;
    const seen = first.get(unit[i]!);
    if (seen === undefined) first.set(unit[i]!, v);
    else if (seen !== v) return null;
  }
  if (!treated) return null;
  return `${named} never changes within a unit, so it looks like an ever-treated group dummy; a treatment is the indicator D_it, 0 before the unit's first treated period and 1 from it on`;
}

function nonZeroValues(values: Float64Array): Set<number> {
  const seen = new Set<number>();
  for (const v of values) if (!Number.isNaN(v) && v !== 0) seen.add(v);
  return seen;
}

/** The column name closest to a misspelt one (case-insensitive edit distance), if close enough to suggest. */
function closestName(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
