import type { PanelFrame } from '@panel-lab/panel';

/** Estimators whose treatment may switch off (de Chaisemartin-D'Haultfoeuille DID_M). */
const SWITCHING_ALLOWED = new Set(['did_multiplegt']);
/** How many units or rows a message lists. */
const SHOWN = 5;

/**
 * Checks the treatment coding of one analysis against the data, beyond the column types that
 * column-check.ts sees: whole periods where cohorts are used, a 0/1 treatment that stays on once
 * switched on, a treatment equal to 1{t >= cohort} when the analysis names both, and some unit that
 * is not treated from the start. Returns the problems (empty when none).
 */
export function treatmentProblems(frame: PanelFrame, options: Record<string, unknown>): string[] {
  const { time } = frame.schema;
  if (time === undefined || !frame.has(time) || frame.isCategorical(time)) return [];
  const t = frame.numeric(time);
  const unit = frame.codes(frame.schema.unit);
  const cohort = numericColumn(frame, options.cohort);
  const treatment = numericColumn(frame, options.treatment);
  const problems: string[] = [];
  if (cohort) {
    const fractionalTime = firstFractional(t);
    if (fractionalTime) problems.push(`time column '${time}' has fractional values (${fractionalTime}); cohorts and event times need whole periods: recode time as integers (e.g. quarters as 1..T)`);
    const fractionalCohort = firstFractional(cohort.values);
    if (fractionalCohort) problems.push(`cohort '${cohort.name}' (cohort) has fractional values (${fractionalCohort}); a cohort is the first treated period, a whole ${time}`);
    let first = Infinity;
    for (const v of t) if (v < first) first = v;
    if (!problems.length && cohort.values.every((g) => g === g && g !== 0 && g <= first)) {
      problems.push(`cohort '${cohort.name}' (cohort): every unit is treated from the first period (${time} ${first}) on, so there are no untreated units to compare with`);
    }
  }
  if (treatment) {
    const notBinary = rowsWhere(treatment.values, (v) => v === v && v !== 0 && v !== 1);
    if (notBinary.count) {
      problems.push(`treatment '${treatment.name}' (treatment) must be 0/1 (missing allowed); ${notBinary.count} row(s) hold other values, first at row(s) ${notBinary.shown(treatment.values)}`);
    } else {
      if (!SWITCHING_ALLOWED.has(String(options.estimator))) {
        const off = switchingOff(treatment.values, t, unit.codes, unit.levels);
        if (off.length) problems.push(`treatment '${treatment.name}' (treatment) switches off after adoption in ${off.length} unit(s): ${off.slice(0, SHOWN).join(', ')}${off.length > SHOWN ? ', ...' : ''}; these estimators need an absorbing treatment (once 1, always 1)`);
      }
      if (cohort) {
        const bad = inconsistent(treatment.values, cohort.values, t, unit.codes, unit.levels);
        if (bad.count) problems.push(`treatment '${treatment.name}' (treatment) disagrees with cohort '${cohort.name}' (cohort) in ${bad.count} row(s): ${bad.shown.join(', ')}; the treatment must be 1 exactly from the cohort's period on (0 or missing cohort = never treated)`);
      }
    }
  }
  return problems;
}

function numericColumn(frame: PanelFrame, name: unknown): { name: string; values: Float64Array } | null {
  if (typeof name !== 'string' || !frame.has(name) || frame.isCategorical(name)) return null;
  return { name, values: frame.numeric(name) };
}

function firstFractional(values: Float64Array): string | null {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v) && !Number.isInteger(v)) return `${v} at row ${i + 1}`;
  }
  return null;
}

function rowsWhere(values: Float64Array, test: (v: number) => boolean) {
  const rows: number[] = [];
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (test(values[i]!)) {
      count++;
      if (rows.length < SHOWN) rows.push(i);
    }
  }
  return { count, shown: (v: Float64Array) => rows.map((r) => `${r + 1} (${v[r]})`).join(', ') };
}

/** Units whose treatment goes 1 -> 0 in time order, as "'label' (1 in t1, 0 in t2)". */
function switchingOff(d: Float64Array, t: Float64Array, unit: Int32Array, labels: readonly string[]): string[] {
  const firstOn = new Map<number, number>();
  for (let i = 0; i < d.length; i++) if (d[i] === 1 && !(t[i]! >= (firstOn.get(unit[i]!) ?? Infinity))) firstOn.set(unit[i]!, t[i]!);
  const out = new Map<number, string>();
  for (let i = 0; i < d.length; i++) {
    const on = firstOn.get(unit[i]!);
    if (d[i] === 0 && on !== undefined && t[i]! > on && !out.has(unit[i]!)) out.set(unit[i]!, `'${labels[unit[i]!]}' (1 in ${on}, 0 in ${t[i]})`);
  }
  return [...out.values()];
}

/** Rows where d != 1{t >= g} (g 0, missing or Infinity = never treated). */
function inconsistent(d: Float64Array, g: Float64Array, t: Float64Array, unit: Int32Array, labels: readonly string[]) {
  const shown: string[] = [];
  let count = 0;
  for (let i = 0; i < d.length; i++) {
    if (d[i] !== d[i]) continue;
    const never = g[i] !== g[i] || g[i] === 0 || g[i] === Infinity;
    const expected = !never && t[i]! >= g[i]! ? 1 : 0;
    if (d[i] !== expected) {
      count++;
      if (shown.length < SHOWN) shown.push(`unit '${labels[unit[i]!]}' at ${t[i]} (treatment ${d[i]}, cohort ${never ? 'never' : g[i]})`);
    }
  }
  return { count, shown };
}
