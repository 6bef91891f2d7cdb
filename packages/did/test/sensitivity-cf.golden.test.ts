import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { conditionalCiDeltaSD, flciDeltaSD } from '../src/sensitivity/index.js';

// C-F (conditional-FLCI hybrid): HonestDiD's grid for it is the level-kappa FLCI (kappa = alpha/10),
// which we reproduce to its FLCI tolerance (5e-4 of the half-length H, flci golden test), so the
// 1000 grid points (step 2H/999) shift by at most that much. Endpoints within 5e-4 H therefore mean
// the same accepted grid points (observed: <= 1e-6 absolute, 1.4e-5 H).
interface Run { call: { l_vec: number[]; Mvec: number[] }; lb: number[]; ub: number[] }
interface Case {
  input: { betahat: number[]; sigma: number[][]; numPrePeriods: number; numPostPeriods: number };
  DeltaSD: { C_F?: Run };
}
const golden = loadGolden<Record<string, Case>>('honestdid');
const es = (c: Case) => ({ betahat: c.input.betahat, sigma: c.input.sigma, numPrePeriods: c.input.numPrePeriods, numPostPeriods: c.input.numPostPeriods });

describe('Delta^SD C-F (FLCI hybrid) against HonestDiD 0.2.6', () => {
  it('BCdata: every M of the golden grid', async () => {
    const c = golden.BCdata!;
    const run = c.DeltaSD.C_F!;
    const rows = await conditionalCiDeltaSD(es(c), run.call.Mvec, { method: 'C-F', lVec: run.call.l_vec });
    const flci = await flciDeltaSD(es(c), run.call.Mvec, { lVec: run.call.l_vec, alpha: 0.005 });
    rows.forEach((r, i) => {
      const tol = 5e-4 * flci[i]!.optimalHalfLength;
      expect(r.method).toBe('C-F');
      expect(r.lpFailures).toBe(0);
      expect(Math.abs(r.lb! - run.lb[i]!), `lb at M=${r.parameter}`).toBeLessThan(tol);
      expect(Math.abs(r.ub! - run.ub[i]!), `ub at M=${r.parameter}`).toBeLessThan(tol);
    });
  }, 300_000);
});
