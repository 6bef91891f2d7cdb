import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { defaultGrid, deltaSDUpperBoundMpre, honestDid, originalCi, refineBreakdown } from '../src/sensitivity/index.js';
import { RRandom } from '../src/sensitivity/r-rng.js';

interface Case {
  input: { betahat: number[]; sigma: number[][]; numPrePeriods: number; numPostPeriods: number };
  original_ci: Record<'first_post' | 'average_post', { l_vec: number[]; estimate: number; se: number; lb: number; ub: number }>;
  DeltaSD_upperBound_Mpre: number;
  default_grids?: { Mvec: number[]; Mbarvec: number[] };
}
const golden = loadGolden<Record<string, Case>>('honestdid');
const es = (c: Case) => ({ betahat: c.input.betahat, sigma: c.input.sigma, numPrePeriods: c.input.numPrePeriods, numPostPeriods: c.input.numPostPeriods });

describe('HonestDiD defaults and the original CI', () => {
  for (const name of ['BCdata', 'LWdata', 'mpdta_sunab', 'mpdta_cs_dynamic']) {
    it(`${name}: original CIs, the M bound from the pre-periods and the default grids`, () => {
      const c = golden[name]!;
      for (const target of ['first_post', 'average_post'] as const) {
        const g = c.original_ci[target];
        const o = originalCi(es(c), g.l_vec);
        expect(Math.abs(o.estimate - g.estimate)).toBeLessThan(1e-12);
        expect(Math.abs(o.se / g.se - 1)).toBeLessThan(1e-12);
        expect(Math.abs(o.lb - g.lb)).toBeLessThan(1e-12);
        expect(Math.abs(o.ub - g.ub)).toBeLessThan(1e-12);
      }
      expect(Math.abs(deltaSDUpperBoundMpre(es(c)) - c.DeltaSD_upperBound_Mpre)).toBeLessThan(1e-12);
      if (c.default_grids) {
        defaultGrid(es(c), 'smoothness').forEach((m, i) => expect(Math.abs(m - c.default_grids!.Mvec[i]!)).toBeLessThan(1e-14));
        defaultGrid(es(c), 'relative_magnitude').forEach((m, i) => expect(Math.abs(m - c.default_grids!.Mbarvec[i]!)).toBeLessThan(1e-14));
      }
    });
  }

  it("reproduces R's set.seed(0); rnorm(3)", () => {
    const r = new RRandom(0);
    expect([r.norm(), r.norm(), r.norm()].map((v) => v.toFixed(7))).toEqual(['1.2629543', '-0.3262334', '1.3297993']);
  });

  it('rejects malformed inputs with the field named', async () => {
    const c = es(golden.BCdata!);
    await expect(honestDid({ ...c, numPrePeriods: 3 }, { restriction: 'smoothness' })).rejects.toThrow(/betahat has 8 entries/);
    await expect(honestDid(c, { restriction: 'relative_magnitude', method: 'FLCI' })).rejects.toThrow(/only for the smoothness/);
    await expect(honestDid(c, { restriction: 'smoothness', grid: [0.02, 0.01] })).rejects.toThrow(/increasing/);
    await expect(honestDid(c, { restriction: 'smoothness', lVec: [1, 0] })).rejects.toThrow(/lVec has 2 entries/);
  });
});

describe('refineBreakdown', () => {
  it('bisects to the M where the CI starts to contain 0', async () => {
    // CI [1 - 3M, 2 + M] contains 0 from M = 1/3 on.
    const ciAt = async (M: number) => ({ parameter: M, lb: 1 - 3 * M, ub: 2 + M, method: 'C-LF' as const, delta: 'DeltaSD' as const, openAtGridEnd: false, lpFailures: 0 });
    const r = await refineBreakdown(ciAt, 0.25, 0.5, 1e-6);
    expect(Math.abs(r.value! - 1 / 3)).toBeLessThan(1e-6);
    expect(r.value! >= 1 / 3).toBe(true);
    expect(await refineBreakdown(ciAt, null, 0, 1e-6)).toMatchObject({ value: 0, evaluations: 0 });
    expect(await refineBreakdown(ciAt, 0.5, null, 1e-6)).toMatchObject({ value: null });
  });
});
