import { z } from 'zod';

/**
 * The results files a run writes (results/<analysis id>.json and results/run.json), as zod schemas:
 * the single source of their JSON Schema (schema/results.schema.json) and of the validation tests.
 * Bump RESULTS_SCHEMA_VERSION on any change that can break a reader (a field renamed, removed or
 * retyped); adding an optional field does not need a bump.
 */
export const RESULTS_SCHEMA_VERSION = 1 as const;

const finite = z.number().nullable().describe('a number, or null when it is not finite or not defined');

export const ModelCoefficientSchema = z
  .object({ term: z.string(), estimate: finite, std_error: finite, statistic: finite, p_value: finite, conf_low: finite, conf_high: finite })
  .strict();

export const ModelSummarySchema = z
  .object({
    name: z.string().describe('column label, unique within the analysis'),
    dependent: z.string(),
    method: z.string().describe('the library function that fitted it'),
    coefficients: z.array(ModelCoefficientSchema),
    vcov: z.array(z.array(finite)).nullable().describe('full variance matrix, rows and columns in coefficients order; null when the estimator gives only SEs'),
    seType: z.string(),
    fixedEffects: z.array(z.string()),
    nobs: finite,
    r2: finite,
    adjR2: finite,
    withinR2: finite,
  })
  .strict()
  .describe('one fitted model: a column of the etable export and rows of the coefficients table');

export const DataTableSchema = z
  .object({
    description: z.string().describe('what one row is'),
    columns: z.record(z.string(), z.array(z.union([z.number(), z.string(), z.boolean(), z.null()]))).describe('equal-length columns by name'),
  })
  .strict()
  .describe('a columnar table (per-draw results, matched pairs, scores, index values); also written as Parquet / Arrow on request');

export const AnalysisFailureSchema = z
  .object({
    where: z.string().describe("the analysis's place in the spec, e.g. analyses[3] 'es-main'"),
    id: z.string(),
    estimator: z.string(),
    stage: z.enum(['input', 'estimation']),
    message: z.string(),
  })
  .strict();

export const AnalysisResultFileSchema = z
  .object({
    schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
    kind: z.literal('analysis'),
    id: z.string(),
    estimator: z.string(),
    title: z.string(),
    status: z.enum(['ok', 'failed']),
    seconds: z.number(),
    options: z.record(z.string(), z.unknown()).describe('the analysis entry of the spec, defaults filled in'),
    failure: AnalysisFailureSchema.optional(),
    models: z.array(ModelSummarySchema).describe('fitted models (empty when the estimator has no regression-table form)'),
    tables: z.record(z.string(), DataTableSchema).describe("data tables by name, e.g. '<outcome>.draws'"),
    results: z.record(z.string(), z.unknown()).describe("the estimator's own result objects (documented in the library's result types), keyed by outcome or part"),
  })
  .strict()
  .describe('results/<analysis id>.json');

export const RunResultFileSchema = z
  .object({
    schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
    kind: z.literal('run'),
    spec: z.record(z.string(), z.unknown()).describe('the run spec, defaults filled in'),
    dataset: z.object({ description: z.string(), nobs: z.number(), units: z.number(), periods: z.number(), crossSection: z.boolean().optional(), transforms: z.array(z.unknown()) }).passthrough(),
    analyses: z.array(z.object({ id: z.string(), estimator: z.string(), status: z.enum(['ok', 'failed']), file: z.string() }).strict()).describe('every analysis and its results file'),
    failures: z.array(AnalysisFailureSchema),
    timings: z.array(z.object({ step: z.string(), seconds: z.number() }).strict()),
    meta: z.object({ startedAt: z.string(), finishedAt: z.string(), node: z.string(), seconds: z.number() }).passthrough(),
  })
  .strict()
  .describe('results/run.json');

export type AnalysisResultFile = z.infer<typeof AnalysisResultFileSchema>;
export type RunResultFile = z.infer<typeof RunResultFileSchema>;

/** The JSON Schema of both results files (committed as schema/results.schema.json; `panel-lab schema --results` prints it). */
export function resultsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(z.union([AnalysisResultFileSchema, RunResultFileSchema]), { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  return { $id: `https://panel-lab.dev/schema/results-v${RESULTS_SCHEMA_VERSION}.json`, title: `Panel Lab results files, schema version ${RESULTS_SCHEMA_VERSION}`, ...schema };
}
