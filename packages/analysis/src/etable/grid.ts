import type { ModelSummary } from '../results/models.js';

/** Options of the regression-table export (fixest etable / modelsummary conventions). */
export interface EtableExportOptions {
  /** Decimal places of estimates, SEs and R² (default 3, as modelsummary). */
  readonly digits?: number;
  /** Display labels of coefficient terms (fixest `dict`), e.g. { D: 'Treated x Post' }. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Only these terms, in this order (default every term, in first-seen order). */
  readonly keep?: readonly string[];
  /** Column titles (default the model names). */
  readonly titles?: readonly string[];
  /** Significance stars (default true). */
  readonly stars?: boolean;
  /** Star marks and their p thresholds, strictest first (default fixest etable's: *** 0.001, ** 0.01, * 0.05). */
  readonly starLevels?: readonly (readonly [string, number])[];
  /** Table title (caption). */
  readonly title?: string;
}

/** fixest etable's default significance codes. */
export const STAR_LEVELS: readonly (readonly [string, number])[] = [
  ['***', 0.001],
  ['**', 0.01],
  ['*', 0.05],
];

/** The convention common in economics journals (Stata esttab, modelsummary's stars = c('*' = .1, ...)). */
export const ECONOMICS_STAR_LEVELS: readonly (readonly [string, number])[] = [
  ['***', 0.01],
  ['**', 0.05],
  ['*', 0.1],
];

/** fixest names the intercept 'Constant' in etable. */
const DEFAULT_LABELS: Readonly<Record<string, string>> = { '(Intercept)': 'Constant' };

function starLegend(levels: readonly (readonly [string, number])[]): string {
  return `Signif. codes: ${levels.map(([mark, p]) => `${mark} p < ${p}`).join(', ')}`;
}

/** The table as rows of plain strings: the renderers only lay it out. */
export interface EtableGrid {
  readonly title: string | null;
  /** Column headers: model numbers (1), (2), ... */
  readonly numbers: readonly string[];
  /** Column titles (model names). */
  readonly titles: readonly string[];
  readonly dependent: readonly string[];
  /** Per coefficient: label, estimate cells (with stars), SE cells in parentheses. */
  readonly coefficients: readonly { readonly label: string; readonly estimates: readonly string[]; readonly ses: readonly string[] }[];
  readonly fixedEffects: readonly { readonly label: string; readonly cells: readonly string[] }[];
  /** S.E. type, observations, R², within R². */
  readonly stats: readonly { readonly label: string; readonly cells: readonly string[] }[];
  readonly notes: readonly string[];
}

function stars(p: number | null, levels: readonly (readonly [string, number])[]): string {
  if (p === null) return '';
  for (const [mark, level] of levels) if (p < level) return mark;
  return '';
}

function fixed(x: number | null, digits: number): string {
  return x === null ? '' : x.toFixed(digits);
}

/** Lays out models as fixest etable does: one column per model, coefficients with SEs below, FE rows, fit statistics. */
export function etableGrid(models: readonly ModelSummary[], opts: EtableExportOptions = {}): EtableGrid {
  if (models.length === 0) throw new Error('etable: no models to tabulate (the analyses chosen have no regression-table form)');
  const digits = opts.digits ?? 3;
  if (!Number.isInteger(digits) || digits < 0 || digits > 12) throw new Error(`etable: digits must be an integer 0..12, got ${digits}`);
  if (opts.titles && opts.titles.length !== models.length) throw new Error(`etable: ${opts.titles.length} titles for ${models.length} models`);
  const withStars = opts.stars ?? true;
  const levels = opts.starLevels ?? STAR_LEVELS;
  const label = (term: string) => opts.labels?.[term] ?? DEFAULT_LABELS[term] ?? term;
  const seen: string[] = [];
  for (const m of models) for (const c of m.coefficients) if (!seen.includes(c.term)) seen.push(c.term);
  const terms = opts.keep ?? seen;
  const unknown = terms.filter((t) => !seen.includes(t));
  if (unknown.length) throw new Error(`etable: keep names terms no model has: ${unknown.join(', ')}; terms are: ${seen.join(', ')}`);
  const coefficients = terms.map((term) => {
    const cells = models.map((m) => m.coefficients.find((c) => c.term === term));
    return {
      label: label(term),
      estimates: cells.map((c) => (c && c.estimate !== null ? `${fixed(c.estimate, digits)}${withStars ? stars(c.p_value, levels) : ''}` : '')),
      ses: cells.map((c) => (c && c.std_error !== null ? `(${fixed(c.std_error, digits)})` : '')),
    };
  });
  const feNames: string[] = [];
  for (const m of models) for (const f of m.fixedEffects) if (!feNames.includes(f)) feNames.push(f);
  const fixedEffects = feNames.map((fe) => ({ label: opts.labels?.[fe] ?? fe, cells: models.map((m) => (m.fixedEffects.includes(fe) ? 'Yes' : 'No')) }));
  const stats = [
    { label: 'S.E. type', cells: models.map((m) => m.seType) },
    { label: 'Observations', cells: models.map((m) => (m.nobs === null ? '' : m.nobs.toLocaleString('en-US'))) },
    ...(models.some((m) => m.r2 !== null) ? [{ label: 'R²', cells: models.map((m) => fixed(m.r2, 5)) }] : []),
    ...(models.some((m) => m.withinR2 !== null) ? [{ label: 'Within R²', cells: models.map((m) => fixed(m.withinR2, 5)) }] : []),
  ];
  return {
    title: opts.title ?? null,
    numbers: models.map((_, j) => `(${j + 1})`),
    titles: opts.titles ? [...opts.titles] : models.map((m) => m.name),
    dependent: models.map((m) => m.dependent),
    coefficients,
    fixedEffects,
    stats,
    notes: [withStars ? `${starLegend(levels)}; standard errors in parentheses.` : 'Standard errors in parentheses.'],
  };
}
