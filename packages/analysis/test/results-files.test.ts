import { readdir, readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readColumnTable } from '@panel-lab/panel';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnalysisResultFileSchema, RESULTS_SCHEMA_VERSION, RunResultFileSchema, resultsJsonSchema, runSpec, writeRunReport, type RunResult } from '../src/index.js';
import { columnsCsv } from '../src/results/outputs.js';

const spec = {
  dataset: { source: 'example', name: 'mpdta' },
  outputs: ['json', 'csv', 'parquet', 'arrow'],
  analyses: [
    { id: 'ols', estimator: 'feols', formulas: ['lemp ~ lpop | year', 'lemp ~ treat | year'], vcov: { type: 'cluster', cluster: 'countyreal' } },
    { id: 'es', estimator: 'event_study', outcomes: ['lemp'], cohort: 'first.treat', window: [-3, 3] },
    { id: 'plac', estimator: 'placebo', outcomes: ['lemp'], cohort: 'first.treat', draws: 20 },
    { id: 'cs', estimator: 'callaway_santanna', outcomes: ['lemp'], cohort: 'first.treat', bootstrapDraws: 0 },
    { id: 'broken', estimator: 'event_study', outcomes: ['nope'], cohort: 'first.treat' },
  ],
};

let run: RunResult;
let dir: string;
beforeAll(async () => {
  run = await runSpec(spec, { workers: 1 });
  dir = await mkdtemp(join(tmpdir(), 'panel-lab-results-'));
  await writeRunReport(run, dir);
}, 120_000);

const readJson = async (rel: string) => JSON.parse(await readFile(join(dir, rel), 'utf8')) as Record<string, unknown>;

describe('results files', () => {
  it('every written results file validates against the versioned schema', async () => {
    const files = (await readdir(join(dir, 'results'))).sort();
    expect(files).toEqual(['broken.json', 'cs.json', 'es.json', 'ols.json', 'plac.json', 'run.json']);
    for (const f of files) {
      const json = await readJson(join('results', f));
      expect(json.schemaVersion).toBe(RESULTS_SCHEMA_VERSION);
      const parsed = (f === 'run.json' ? RunResultFileSchema : AnalysisResultFileSchema).safeParse(json);
      expect(parsed.success, `${f}: ${parsed.error?.message}`).toBe(true);
    }
  });

  it('the committed JSON Schema (schema/results.schema.json) is the one the zod schemas give', async () => {
    const committed = JSON.parse(await readFile(new URL('../schema/results.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(resultsJsonSchema());
  });

  it('carries every coefficient with its vcov, control coefficients of the event study included', async () => {
    const es = await readJson('results/es.json');
    const [model] = es.models as { coefficients: { term: string }[]; vcov: number[][]; seType: string }[];
    const terms = model!.coefficients.map((c) => c.term);
    // the model is the whole regression behind the event-time coefficients (controls included; lpop is
    // time-invariant in mpdta, so collinear with the unit effects and reported as such)
    const fit = ((es.results as Record<string, { fit: { coefficients: Record<string, unknown> } }>).lemp!).fit;
    expect(terms).toEqual(Object.keys(fit.coefficients));
    expect(terms).toEqual(['es_m3', 'es_m2', 'es_p0', 'es_p1', 'es_p2', 'es_p3']);
    expect(model!.vcov).toHaveLength(terms.length);
    expect(model!.vcov[0]).toHaveLength(terms.length);
    const ols = await readJson('results/ols.json');
    expect((ols.models as unknown[]).length).toBe(2);
    const cs = (await readJson('results/cs.json')).models as { coefficients: { term: string; estimate: number }[] }[];
    expect(cs[0]!.coefficients.map((c) => c.term)).toEqual(['ATT (simple)', 'ATT (group)', 'ATT (dynamic)', 'ATT (calendar)']);
    expect(cs[0]!.coefficients[0]!.estimate).toBeCloseTo(-0.0400, 3); // did's simple ATT on mpdta (dr, never treated)
  });

  it('keeps a failed analysis as a valid file saying where and why', async () => {
    const broken = await readJson('results/broken.json');
    expect(broken).toMatchObject({ status: 'failed', models: [], failure: { where: "analyses[4] 'broken'", stage: 'input' } });
    expect((await readJson('results/run.json')).analyses).toContainEqual({ id: 'broken', estimator: 'event_study', status: 'failed', file: 'results/broken.json' });
  });

  it('writes per-draw placebo tables (coefficient, SE, t, p per draw) that round-trip through CSV, Parquet and Arrow', async () => {
    const plac = await readJson('results/plac.json');
    const table = (plac.tables as Record<string, { columns: Record<string, unknown[]> }>)['lemp.draws']!;
    expect(Object.keys(table.columns)).toEqual(['draw', 'beta', 'se', 't', 'p']);
    expect(table.columns.beta).toHaveLength(20);
    for (const format of ['parquet', 'arrow'] as const) {
      expect(await readColumnTable(join(dir, 'data', `plac.lemp.draws.${format}`), format)).toEqual(table.columns);
    }
    expect(await readFile(join(dir, 'data', 'plac.lemp.draws.csv'), 'utf8')).toBe(columnsCsv(table.columns as never));
  });

  it('writes each analysis coefficients table in every format, equal to its models', async () => {
    const ols = await readJson('results/ols.json');
    const models = ols.models as { name: string; coefficients: { term: string; estimate: number; std_error: number }[] }[];
    for (const format of ['parquet', 'arrow'] as const) {
      const t = await readColumnTable(join(dir, 'data', `ols.coefficients.${format}`), format);
      expect(t.term).toEqual(models.flatMap((m) => m.coefficients.map((c) => c.term)));
      expect(t.estimate).toEqual(models.flatMap((m) => m.coefficients.map((c) => c.estimate)));
      expect(t.std_error).toEqual(models.flatMap((m) => m.coefficients.map((c) => c.std_error)));
      expect(t.model).toEqual(models.flatMap((m) => m.coefficients.map(() => m.name)));
    }
  });
});
