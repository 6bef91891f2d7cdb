import { describe, expect, it } from 'vitest';
import { loadMpdta } from '@panel-lab/datasets';
import { eventStudy, pretrendsAnalysis, pretrendsInputFromEventStudy } from '@panel-lab/did';
import { parseRunSpec, runSpec } from '../src/index.js';

const mpdta = { source: 'example', name: 'mpdta' } as const;

describe('pretrends_power analysis', () => {
  it('defaults: powers 0.5 and 0.8, alpha 0.05, 32768 lattice points x 10 shifts', () => {
    const spec = parseRunSpec({ dataset: mpdta, analyses: [{ id: 'pt', estimator: 'pretrends_power', outcomes: ['lemp'], cohort: 'first.treat' }] });
    expect(spec.analyses[0]).toMatchObject({ powers: [0.5, 0.8], slopes: [], alpha: 0.05, points: 32768, shifts: 10, endpoints: 'bin' });
  });

  it('runs from a spec: figure and table, results equal to the library on the same event study and seed', async () => {
    const run = await runSpec({ dataset: mpdta, analyses: [{ id: 'pt', estimator: 'pretrends_power', outcomes: ['lemp'], cohort: 'first.treat', powers: [0.8], slopes: [0.01], points: 2048 }] });
    const record = run.analyses[0]!;
    expect(record.status).toBe('ok');
    expect(record.blocks.map((b) => b.kind)).toEqual(['figure', 'table']);
    const got = record.results.lemp as ReturnType<typeof pretrendsAnalysis>;
    const es = eventStudy(await loadMpdta(), { outcome: 'lemp', treatment: { cohort: 'first.treat' }, ref: -1 });
    const want = pretrendsAnalysis(pretrendsInputFromEventStudy(es), { powers: [0.8], slopes: [0.01], points: 2048, seed: got.settings.seed });
    expect(got.slopeForPower[0]!.slope).toBeCloseTo(want.slopeForPower[0]!.slope, 12);
    expect(got.atSlope.map((r) => r.power)).toEqual(want.atSlope.map((r) => r.power));
    expect(got.atSlope[1]!.slope).toBe(0.01);
    expect(Math.abs(got.slopeForPower[0]!.power - 0.8)).toBeLessThan(1e-8);
  }, 120_000);

  it('rejects a power outside (0, 1) by field name', () => {
    expect(() => parseRunSpec({ dataset: mpdta, analyses: [{ id: 'pt', estimator: 'pretrends_power', outcomes: ['lemp'], cohort: 'first.treat', powers: [1.2] }] })).toThrow(/powers/);
  });
});
