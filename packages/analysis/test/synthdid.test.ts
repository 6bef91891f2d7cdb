import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { parseRunSpec, runSpec } from '../src/index.js';

const mpdta = { source: 'example', name: 'mpdta' } as const;
const golden = loadGolden<{ mpdta_block2006: Record<'synthdid' | 'did', { estimate: number; se: { jackknife: { se: number } } }> }>('synthdid');

describe('synthdid analysis', () => {
  it('defaults: all three estimators, placebo and jackknife SEs, 200 draws', () => {
    const spec = parseRunSpec({ dataset: mpdta, analyses: [{ id: 'sd', estimator: 'synthdid', outcomes: ['lemp'], cohort: 'first.treat' }] });
    expect(spec.analyses[0]).toMatchObject({ estimators: ['synthdid', 'sc', 'did'], se: ['placebo', 'jackknife'], replications: 200 });
  });

  it('estimates by cohort as R synthdid on the cohort block, with figure, table and the dropped one-pre-period cohort', async () => {
    const analysis = { id: 'sd', estimator: 'synthdid', outcomes: ['lemp'], cohort: 'first.treat', estimators: ['synthdid', 'did'], se: ['jackknife', 'placebo'], replications: 10 } as const;
    const run = await runSpec({ dataset: mpdta, analyses: [analysis] });
    const record = run.analyses[0]!;
    expect(record.status).toBe('ok');
    expect(record.blocks.map((b) => b.kind)).toEqual(['figure', 'figure', 'table']);
    type Cohort = { cohort: number; estimate: number; se: { method: string; se: number }[] };
    const lemp = record.results.lemp as Record<'synthdid' | 'did', { estimate: number; cohorts: Cohort[]; dropped: { cohort: number }[] }>;
    expect(lemp.synthdid.dropped.map((d) => d.cohort)).toEqual([2004]);
    expect(lemp.did.cohorts.map((c) => c.cohort)).toEqual([2004, 2006, 2007]);
    for (const k of ['synthdid', 'did'] as const) {
      const c2006 = lemp[k].cohorts.find((c) => c.cohort === 2006)!;
      expect(Math.abs(c2006.estimate - golden.mpdta_block2006[k].estimate)).toBeLessThan(1e-8);
      expect(c2006.se.find((s) => s.method === 'jackknife')!.se).toBeCloseTo(golden.mpdta_block2006[k].se.jackknife.se, 10);
      expect(c2006.se.find((s) => s.method === 'placebo')!.se).toBeGreaterThan(0);
    }
  }, 120_000);
});
