import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelSummary } from '../results/models.js';
import { AnalysisResultFileSchema, RESULTS_SCHEMA_VERSION, RunResultFileSchema } from '../results/schema.js';
import { etableGrid, type EtableExportOptions } from './grid.js';
import { etableHtml, etableLatex, etableMarkdown, type EtableFormat } from './render.js';

/** A regression table of models as LaTeX, Markdown or HTML (fixest etable / modelsummary conventions). */
export function exportEtable(models: readonly ModelSummary[], format: EtableFormat, opts: EtableExportOptions = {}): string {
  const grid = etableGrid(models, opts);
  if (format === 'latex') return etableLatex(grid);
  if (format === 'markdown') return etableMarkdown(grid);
  if (format === 'html') return etableHtml(grid);
  throw new Error(`etable: format must be 'latex', 'markdown' or 'html', got '${String(format)}'`);
}

/**
 * The models of some analyses of a written run (its results/*.json), in spec order: every model of
 * each analysis chosen (default every analysis with models). Errors name the analysis and what exists.
 */
export async function runModels(runDir: string, analyses?: readonly string[]): Promise<ModelSummary[]> {
  const runFile = await readJson(join(runDir, 'results', 'run.json'), runDir);
  const run = RunResultFileSchema.safeParse(runFile);
  if (!run.success) throw new Error(`${join(runDir, 'results', 'run.json')}: not a results file of schema version ${RESULTS_SCHEMA_VERSION}: ${run.error.issues[0]?.message ?? ''}`);
  const ids = run.data.analyses.map((a) => a.id);
  const unknown = (analyses ?? []).filter((id) => !ids.includes(id));
  if (unknown.length) throw new Error(`--analyses: no analysis ${unknown.map((u) => `'${u}'`).join(', ')} in this run; analyses are: ${ids.join(', ')}`);
  const chosen = analyses ?? ids;
  const models: ModelSummary[] = [];
  for (const entry of run.data.analyses.filter((a) => chosen.includes(a.id))) {
    const file = AnalysisResultFileSchema.safeParse(await readJson(join(runDir, entry.file), runDir));
    if (!file.success) throw new Error(`${entry.file}: not a results file of schema version ${RESULTS_SCHEMA_VERSION}: ${file.error.issues[0]?.message ?? ''}`);
    if (analyses && file.data.status === 'failed') throw new Error(`analysis '${entry.id}' failed in this run (${file.data.failure?.message ?? 'no message'}): it has no models`);
    if (analyses && file.data.models.length === 0) throw new Error(`analysis '${entry.id}' (${entry.estimator}) has no regression-table models`);
    // prefix with the analysis id when several analyses are tabulated, so columns stay distinguishable
    models.push(...file.data.models.map((m) => (chosen.length > 1 ? { ...m, name: `${entry.id}: ${m.name}` } : m)));
  }
  return models;
}

async function readJson(path: string, runDir: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path} (is '${runDir}' the output folder of a run?): ${error instanceof Error ? error.message : String(error)}`);
  }
  return JSON.parse(text) as unknown;
}

export type { EtableFormat } from './render.js';
export type { EtableExportOptions } from './grid.js';
export { ECONOMICS_STAR_LEVELS, STAR_LEVELS } from './grid.js';
