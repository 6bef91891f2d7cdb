import { describe, expect, it } from 'vitest';
import { generateChinaPanel } from '@panel-lab/datasets';
import { runSpec } from '../src/index.js';

// A file of its own: vitest runs each test file in a fresh process, so the shared-object list
// below shows only what this run loaded.
const loadedDuckDb = () =>
  ((process.report.getReport() as { sharedObjects?: string[] }).sharedObjects ?? []).filter((f) => /duckdb/i.test(f));

describe('a parallel run shares the frame it loaded with its workers', () => {
  it('runs a registered dataset (resolveDataset) on workers, and no thread loads the file reader', async () => {
    const panel = generateChinaPanel({ seed: 3, cities: 60, years: 6 });
    const spec = {
      seed: 1,
      dataset: { source: 'dataset', id: 'ds_1' },
      analyses: [
        { id: 'stats', estimator: 'describe' },
        { id: 'trends', estimator: 'trends', outcomes: ['ln_co2_total'], cohort: 'bigdata_year' },
      ],
    };
    const resolveDataset = async (id: string) => {
      expect(id).toBe('ds_1');
      return panel.frame;
    };
    const one = await runSpec(spec, { workers: 1, resolveDataset });
    const two = await runSpec(spec, { workers: 2, resolveDataset });
    const strip = (r: typeof one) => JSON.parse(JSON.stringify(r.analyses, (k, v: unknown) => (k === 'seconds' || k.endsWith('_ms') ? undefined : v))) as unknown;
    expect(two.analyses.every((a) => a.status === 'ok')).toBe(true);
    expect(strip(two)).toEqual(strip(one));
    expect(loadedDuckDb()).toEqual([]);
  }, 120_000);
});
