import { z } from 'zod';
import { ANALYSIS_OPTIONS } from './handlers/index.js';
import { OUTPUT_FORMATS } from './results/formats.js';
import { formatPath, issueLine, specIssues, type SpecIssue } from './spec-issues.js';

/** Where the panel comes from. */
export const DatasetSpec = z.discriminatedUnion('source', [
  z
    .object({
      source: z.literal('synthetic'),
      seed: z.number().int().default(20240601).describe('generator seed'),
      // ceilings against absurd requests (a server applies its own, lower, configurable limits too)
      cities: z.number().int().positive().max(1_000_000, 'at most 1000000').optional().describe('number of cities (default: the 286 real cities)'),
      years: z
        .union([z.number().int().positive().max(1000, 'at most 1000'), z.tuple([z.number().int().min(1).max(9999), z.number().int().min(1).max(9999)]).refine(([first, last]) => first <= last, 'a range [first, last] with first <= last')])
        .optional()
        .describe('number of years, or [first, last] (default 2011-2019)'),
    })
    .strict(),
  z.object({ source: z.literal('example'), name: z.enum(['mpdta']) }).strict(),
  z
    .object({
      source: z.literal('file'),
      path: z.string().min(1),
      unit: z.string().min(1).optional().describe('unit (panel id) column; with no time column it may be left out (each row is its own unit)'),
      time: z
        .string()
        .min(1)
        .optional()
        .describe('time column; leave out for a cross-section, which the analyses with no time dimension accept (feols, de_index_construction, describe)'),
      categorical: z.array(z.string()).optional(),
      nonFinite: z
        .enum(['error', 'missing'])
        .optional()
        .describe("an infinite number in a numeric column ('Inf', '1e400'): 'error' (default) rejects the file naming column, count and rows; 'missing' reads it as a missing value"),
    })
    .strict()
    .superRefine((d, ctx) => {
      if (d.time !== undefined && d.unit === undefined) ctx.addIssue({ code: 'custom', path: ['unit'], message: 'a panel (time given) needs its unit column; leave out time too for a cross-section' });
    }),
  z
    .object({ source: z.literal('dataset'), id: z.string().min(1).describe('a dataset registered with the API') })
    .strict(),
]);
export type DatasetSpec = z.infer<typeof DatasetSpec>;

const columns = z.array(z.string().min(1)).min(1);

/** Transforms applied to the panel in order before any analysis (each returns a new frame). */
export const TransformSpec = z.discriminatedUnion('op', [
  z.object({ op: z.literal('log'), columns, policy: z.enum(['drop', 'log1p', 'asinh']).default('drop') }).strict(),
  z.object({ op: z.literal('interpolate'), columns }).strict(),
  z.object({ op: z.literal('winsorize'), columns, lower: z.number().min(0).max(0.5).default(0.01), upper: z.number().min(0.5).max(1).default(0.99) }).strict(),
  z.object({ op: z.literal('standardize'), columns }).strict(),
  z.object({ op: z.literal('filterPeriods'), from: z.number().optional(), to: z.number().optional() }).strict(),
  z.object({ op: z.literal('balance') }).strict(),
]);
export type TransformSpec = z.infer<typeof TransformSpec>;

export const BackendSpec = z
  .object({
    name: z.enum(['cpu', 'tfjs', 'gpujs']).default('cpu'),
    device: z.enum(['webgpu', 'wasm', 'cpu']).optional(),
    allowFallback: z.boolean().default(true),
  })
  .strict();
export type BackendSpec = z.infer<typeof BackendSpec>;

/** One analysis: the estimator name picks the options schema. */
export const AnalysisSpec = z.discriminatedUnion('estimator', ANALYSIS_OPTIONS);
export type AnalysisSpec = z.infer<typeof AnalysisSpec>;

export const RunSpec = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1).default(1),
    name: z.string().min(1).default('analysis'),
    title: z.string().optional(),
    seed: z.number().int().default(20240601).describe('root seed: every random step derives its own stream from it'),
    dataset: DatasetSpec,
    transforms: z.array(TransformSpec).default([]),
    backend: BackendSpec.default({ name: 'cpu', allowFallback: true }),
    analyses: z.array(AnalysisSpec).min(1),
    outputs: z
      .array(z.enum(OUTPUT_FORMATS))
      .min(1)
      .default(['json', 'csv'])
      .describe("result formats: JSON (results/*.json) and CSV (tables/, data/) are always written; add 'parquet' and/or 'arrow' for each analysis's data tables (coefficients, per-draw tables, pairs, scores, index values) as data/<id>.<table>.parquet / .arrow"),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const seen = new Set<string>();
    spec.analyses.forEach((a, i) => {
      if (seen.has(a.id)) ctx.addIssue({ code: 'custom', path: ['analyses', i, 'id'], message: `duplicate analysis id '${a.id}'` });
      seen.add(a.id);
    });
  });
export type RunSpec = z.infer<typeof RunSpec>;
export type RunSpecInput = z.input<typeof RunSpec>;

/** Error for an invalid spec; each issue names the field path (e.g. analyses[2].outcomes), its analysis, and what would be valid. */
export class SpecError extends Error {
  readonly issues: readonly SpecIssue[];

  constructor(issues: readonly SpecIssue[]) {
    super(`invalid analysis spec:\n${issues.map((i) => `  - ${issueLine(i)}`).join('\n')}`);
    this.name = 'SpecError';
    this.issues = issues;
  }
}

export { formatPath };

/** Validates unknown JSON as a run spec, with defaults filled in; throws SpecError naming each bad field. */
export function parseRunSpec(input: unknown): RunSpec {
  const parsed = RunSpec.safeParse(input);
  if (!parsed.success) throw new SpecError(specIssues(parsed.error.issues, input));
  return parsed.data;
}

/** The published JSON Schema of the run spec (input form: defaults are optional). */
export function runSpecJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(RunSpec, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
