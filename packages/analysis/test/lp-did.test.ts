import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { parseRunSpec, runSpec } from '../src/index.js';

const mpdta = { source: 'example', name: 'mpdta' } as const;
const golden = loadGolden<{ mpdta: Record<string, { horizons: { horizon: number; estimate: number; se: number }[]; pooled_post: { estimate: number } }> }>('lpdid_mpdta');

describe('lp_did analysis', () => {
  it('defaults as the library: pre 0, post 0, no reweighting, varying composition', () => {
    const spec = parseRunSpec({ dataset: mpdta, analyses: [{ id: 'lp', estimator: 'lp_did', outcomes: ['lemp'], cohort: 'first.treat' }] });
    expect(spec.analyses[0]).toMatchObject({ pre: 0, post: 0, reweight: false, nocomp: false, alpha: 0.05 });
  });

  it('runs from a spec: event-study figure and table, estimates as the golden', async () => {
    const run = await runSpec({ dataset: mpdta, analyses: [{ id: 'lp', estimator: 'lp_did', outcomes: ['lemp'], cohort: 'first.treat', pre: 3, post: 3, reweight: true }] });
    const record = run.analyses[0]!;
    expect(record.status).toBe('ok');
    expect(record.blocks.map((b) => b.kind)).toEqual(['figure', 'table']);
    const lemp = record.results.lemp as { horizons: { horizon: number; estimate: number; se: number; reference: boolean }[]; pooledPost: { estimate: number } };
    const want = golden.mpdta.reweight!;
    for (const w of want.horizons) {
      const got = lemp.horizons.find((h) => h.horizon === w.horizon)!;
      expect(Math.abs(got.estimate - w.estimate)).toBeLessThan(1e-10);
      expect(Math.abs(got.se - w.se)).toBeLessThan(1e-10);
    }
    expect(Math.abs(lemp.pooledPost.estimate - want.pooled_post.estimate)).toBeLessThan(1e-10);
  }, 60_000);
});
