import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { breakdownOnGrid, conditionalCiDeltaRM, conditionalCiDeltaSD, conditionalCiDeltaSDRM, type SensitivityCi } from '../src/sensitivity/index.js';

// HonestDiD 0.2.6's conditional / C-LF CIs are the min / max accepted points of a 1000-point theta
// grid. We build the same grid (same seq() arithmetic) and the same R random draws for the
// least-favourable critical value, so endpoints agree to rounding: 1e-10 absolute.
const TOL = 1e-10;

interface Run { call: { l_vec: number[]; Mvec?: number[]; Mbarvec?: number[] }; lb: number[]; ub: number[]; breakdown_on_grid: { first_grid_value_ci_contains_0: number[] | null; last_grid_value_ci_excludes_0: number | number[] | null } }
interface Case {
  input: { betahat: number[]; sigma: number[][]; numPrePeriods: number; numPostPeriods: number };
  DeltaSD: Record<'Conditional' | 'C_LF', Run>;
  DeltaRM: Record<'Conditional' | 'C_LF', Run>;
  DeltaSDRM?: Run;
  DeltaRM_sign?: Run & { call: { biasDirection: 'positive' | 'negative' } };
  DeltaRM_monotone?: Run & { call: { monotonicityDirection: 'increasing' | 'decreasing' } };
}
const golden = loadGolden<Record<'BCdata' | 'mpdta_sunab' | 'mpdta_cs_dynamic' | 'LWdata', Case>>('honestdid');
const es = (c: Case) => ({ betahat: c.input.betahat, sigma: c.input.sigma, numPrePeriods: c.input.numPrePeriods, numPostPeriods: c.input.numPostPeriods });

function expectRows(rows: readonly SensitivityCi[], run: Run, idx: readonly number[]): void {
  rows.forEach((r, k) => {
    const i = idx[k]!;
    expect(r.lpFailures).toBe(0);
    expect(Math.abs(r.lb! - run.lb[i]!), `lb at ${r.parameter}`).toBeLessThan(TOL);
    expect(Math.abs(r.ub! - run.ub[i]!), `ub at ${r.parameter}`).toBeLessThan(TOL);
  });
}
const first = (v: number[] | number | null) => (Array.isArray(v) ? v[0]! : v);

describe('Delta^SD conditional and C-LF CIs against HonestDiD 0.2.6', () => {
  for (const name of ['BCdata', 'mpdta_sunab', 'mpdta_cs_dynamic'] as const) {
    for (const method of ['Conditional', 'C-LF'] as const) {
      it(`${name} ${method}: every M of the golden grid, and the grid breakdown`, async () => {
        const run = golden[name].DeltaSD[method === 'C-LF' ? 'C_LF' : 'Conditional'];
        const Mvec = run.call.Mvec!;
        const rows = await conditionalCiDeltaSD(es(golden[name]), Mvec, { method, lVec: run.call.l_vec });
        expectRows(rows, run, Mvec.map((_, i) => i));
        const b = breakdownOnGrid(rows);
        expect(b.firstContainsZero).toBe(first(run.breakdown_on_grid.first_grid_value_ci_contains_0));
        expect(b.lastExcludesZero).toBe(first(run.breakdown_on_grid.last_grid_value_ci_excludes_0));
      }, 120_000);
    }
  }
});

describe('Delta^RM conditional and C-LF CIs against HonestDiD 0.2.6', () => {
  // A subset of Mbar per case keeps the suite short; each Mbar unions 2 x numPre ARP inversions.
  const cases = [
    ['BCdata', 'C-LF', [0, 1.5, 2]],
    ['BCdata', 'Conditional', [0.5, 2]],
    ['mpdta_sunab', 'C-LF', [0.5, 2]],
    ['mpdta_cs_dynamic', 'Conditional', [1.5]],
  ] as const;
  for (const [name, method, mbars] of cases) {
    it(`${name} ${method} at Mbar ${mbars.join(', ')}`, async () => {
      const run = golden[name].DeltaRM[method === 'C-LF' ? 'C_LF' : 'Conditional'];
      const rows = await conditionalCiDeltaRM(es(golden[name]), mbars, { method, lVec: run.call.l_vec });
      expectRows(rows, run, mbars.map((m) => run.call.Mbarvec!.indexOf(m)));
    }, 300_000);
  }
});

describe('Delta^SDRM C-LF CIs against HonestDiD 0.2.6', () => {
  it('BCdata at Mbar 0.5 and 1.5 (the grid breakdown bracket is (1, 1.5])', async () => {
    const run = golden.BCdata.DeltaSDRM!;
    const mbars = [0.5, 1.5];
    const rows = await conditionalCiDeltaSDRM(es(golden.BCdata), mbars, { method: 'C-LF', lVec: run.call.l_vec });
    expectRows(rows, run, mbars.map((m) => run.call.Mbarvec!.indexOf(m)));
  }, 300_000);
});

describe('Delta^RM with sign and monotonicity restrictions (C-LF) against HonestDiD 0.2.6', () => {
  it('BCdata, positive bias (DeltaRMPB) at Mbar 0.5 and 2', async () => {
    const run = golden.BCdata.DeltaRM_sign!;
    const mbars = [0.5, 2];
    const rows = await conditionalCiDeltaRM(es(golden.BCdata), mbars, { method: 'C-LF', lVec: run.call.l_vec, biasDirection: run.call.biasDirection });
    expectRows(rows, run, mbars.map((m) => run.call.Mbarvec!.indexOf(m)));
  }, 300_000);
  it('BCdata, increasing delta (DeltaRMI) at Mbar 1 and 1.5', async () => {
    const run = golden.BCdata.DeltaRM_monotone!;
    const mbars = [1, 1.5];
    const rows = await conditionalCiDeltaRM(es(golden.BCdata), mbars, { method: 'C-LF', lVec: run.call.l_vec, monotonicityDirection: run.call.monotonicityDirection });
    expectRows(rows, run, mbars.map((m) => run.call.Mbarvec!.indexOf(m)));
  }, 300_000);
});

describe('a long event study (LWdata: 9 pre, 23 post) against HonestDiD 0.2.6', () => {
  it('Delta^SD conditional at M = 0.05', async () => {
    const run = golden.LWdata.DeltaSD.Conditional;
    const rows = await conditionalCiDeltaSD(es(golden.LWdata), [0.05], { method: 'Conditional', lVec: run.call.l_vec });
    expectRows(rows, run, [run.call.Mvec!.indexOf(0.05)]);
  }, 300_000);
});
