import { describe, expect, it } from 'vitest';
import { runSpec, type RunProgress } from '../src/index.js';
import { dispatchOrder } from '../src/worker-pool.js';
import { parseRunSpec } from '../src/spec.js';

const spec = {
  seed: 7,
  dataset: { source: 'example', name: 'mpdta' },
  analyses: [
    { id: 'stats', estimator: 'describe' },
    { id: 'bacon', estimator: 'bacon', outcomes: ['lemp'], cohort: 'first.treat' },
    { id: 'cs', estimator: 'callaway_santanna', outcomes: ['lemp'], cohort: 'first.treat', bootstrapDraws: 49 },
    { id: 'bad', estimator: 'event_study', outcomes: ['D'], cohort: 'first.treat' },
    { id: 'placebo', estimator: 'placebo', outcomes: ['lemp'], cohort: 'first.treat', draws: 50 },
  ],
};

// As written to disk (JSON): Vega tags the in-thread chart data with symbol keys that a clone drops.
// Timings (seconds, *_ms) are the only fields that may differ.
const strip = (run: Awaited<ReturnType<typeof runSpec>>) =>
  JSON.parse(JSON.stringify(run.analyses, (k, v: unknown) => (k === 'seconds' || k.endsWith('_ms') ? undefined : v))) as unknown;

describe('analyses on worker threads', () => {
  it('give the records of the sequential run, in spec order, failures included', async () => {
    const seen: RunProgress[] = [];
    const one = await runSpec(spec, { workers: 1 });
    const two = await runSpec(spec, { workers: 2, onProgress: (p) => seen.push(p) });
    expect(two.analyses.map((a) => a.id)).toEqual(['stats', 'bacon', 'cs', 'bad', 'placebo']);
    expect(strip(two)).toEqual(strip(one));
    expect(two.failures.map((f) => f.where)).toEqual(["analyses[3] 'bad'"]);
    expect(two.timings.map((t) => t.step)).toEqual(['dataset', 'stats', 'bacon', 'cs', 'bad', 'placebo']);
    expect(seen.at(-1)?.overall).toBeCloseTo(1, 12);
    expect(new Set(seen.map((p) => p.analysis))).toEqual(new Set(['dataset', 'stats', 'bacon', 'cs', 'bad', 'placebo']));
  }, 120_000);

  it('hands out the heavy estimators first, the rest in spec order', () => {
    expect(dispatchOrder(parseRunSpec(spec))).toEqual([2, 4, 0, 1, 3]);
  });

  it('fails the run as a sequential one would when the dataset cannot be loaded', async () => {
    const missing = { ...spec, dataset: { source: 'file', path: 'no/such/file.csv', unit: 'countyreal', time: 'year' } };
    await expect(runSpec(missing, { workers: 2 })).rejects.toThrow(/no such file/);
  });
});
