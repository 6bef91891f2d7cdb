import { InputError } from './errors.js';
import type { TenantLimits } from './types.js';

export interface BoundIssue {
  readonly path: string;
  readonly message: string;
}

/** What a synthetic panel request may name (the generator's defaults: the 286 real cities, 2011-2019). */
export interface SyntheticSize {
  readonly cities?: number | undefined;
  readonly years?: number | readonly [number, number] | undefined;
}

const DEFAULT_CITIES = 286;
const DEFAULT_YEARS = 9;

/** Analysis options that count random draws (resampling, bootstrap replicates): the work scales with them. */
const DRAW_OPTIONS = ['draws', 'bootstrapDraws', 'bootstrap', 'replicates'] as const;

/** Years a synthetic request spans (a count, or last - first + 1 of a range). */
export function yearSpan(years: SyntheticSize['years']): number {
  if (years === undefined) return DEFAULT_YEARS;
  return typeof years === 'number' ? years : years[1] - years[0] + 1;
}

/** Rows of the synthetic panel a request would generate. */
export function syntheticRows(d: SyntheticSize): number {
  return (d.cities ?? DEFAULT_CITIES) * Math.max(0, yearSpan(d.years));
}

/** Cities, years and rows of a synthetic panel against the tenant's limits; `at` prefixes the paths. */
export function syntheticIssues(d: SyntheticSize, limits: TenantLimits, at: string): BoundIssue[] {
  const issues: BoundIssue[] = [];
  if (d.cities !== undefined && d.cities > limits.maxCities) issues.push({ path: `${at}cities`, message: `at most ${limits.maxCities}` });
  const span = yearSpan(d.years);
  if (span > limits.maxYears) issues.push({ path: `${at}years`, message: `at most ${limits.maxYears} years (asked for ${span})` });
  const rows = syntheticRows(d);
  if (issues.length === 0 && rows > limits.maxRows) {
    issues.push({ path: `${at}cities`, message: `cities x years = ${rows} rows; at most ${limits.maxRows} rows` });
  }
  return issues;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

/** The numeric size fields of a synthetic dataset request, raw or parsed (anything else is the schema's business). */
export function syntheticSizeOf(dataset: unknown): SyntheticSize | null {
  if (!isRecord(dataset) || (dataset.source !== undefined && dataset.source !== 'synthetic')) return null;
  const y = dataset.years;
  const years = num(y) ?? (Array.isArray(y) && y.length === 2 && num(y[0]) !== undefined && num(y[1]) !== undefined ? ([y[0], y[1]] as [number, number]) : undefined);
  return { cities: num(dataset.cities), years };
}

function analysesOf(input: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(input.analyses) ? input.analyses.filter(isRecord) : [];
}

/**
 * Every bound a job's input is over, each naming its field. Works on the raw request (checked
 * before the schema, so a huge number gets this server's limit in the message) and on the parsed
 * spec (defaults filled in).
 */
export function jobBoundIssues(kind: 'analysis' | 'placebo', input: unknown, limits: TenantLimits): BoundIssue[] {
  if (!isRecord(input)) return [];
  const synthetic = syntheticSizeOf(input.dataset);
  const issues = synthetic ? syntheticIssues(synthetic, limits, 'dataset.') : [];
  if (kind === 'placebo') {
    const draws = num(input.draws) ?? 1000;
    const chunkSize = num(input.chunkSize) ?? 1000;
    if (draws > limits.maxDraws) issues.push({ path: 'draws', message: `at most ${limits.maxDraws}` });
    const chunks = chunkSize >= 1 ? Math.ceil(draws / chunkSize) : 0;
    if (chunks > limits.maxChunks) {
      issues.push({ path: 'chunkSize', message: `draws / chunkSize = ${chunks} chunks; at most ${limits.maxChunks} (use a chunkSize of at least ${Math.ceil(draws / limits.maxChunks)})` });
    }
    return issues;
  }
  analysesOf(input).forEach((a, i) => {
    for (const key of DRAW_OPTIONS) {
      const n = num(a[key]);
      if (n !== undefined && n > limits.maxDraws) issues.push({ path: `analyses[${i}].${key}`, message: `at most ${limits.maxDraws}` });
    }
  });
  return issues;
}

/** Random draws a validated job asks for: what the draws-in-flight quota counts. */
export function jobDraws(kind: string, input: unknown): number {
  if (!isRecord(input)) return 0;
  if (kind === 'placebo') return num(input.draws) ?? 0;
  let total = 0;
  for (const a of analysesOf(input)) for (const key of DRAW_OPTIONS) total += num(a[key]) ?? 0;
  return total;
}

/** Throws an InputError (422) listing every issue, each naming its field, e.g. `dataset.cities: at most 100000`. */
export function assertNoIssues(issues: readonly BoundIssue[], what: string): void {
  if (issues.length === 0) return;
  throw new InputError(`${what} is over this server's limits: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}
