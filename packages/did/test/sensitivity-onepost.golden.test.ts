import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { conditionalCiDeltaRM, conditionalCiDeltaSD } from '../src/sensitivity/index.js';

// One post period: HonestDiD's no-nuisance test (goldens/results/honestdid_onepost.R on BCdata's
// first five coefficients). Same grids and draws: endpoints to 1e-10.
interface Ci { lb: (number | string)[]; ub: (number | string)[] }
const g = loadGolden<{
  input: { betahat: number[]; sigma: number[][]; numPrePeriods: number; numPostPeriods: number };
  Mvec: number[]; Mbarvec: number[];
  DeltaSD: { Conditional: Ci; C_LF: Ci };
  DeltaRM: { Conditional: Ci; C_LF: Ci };
}>('honestdid_onepost');
const es = g.input;

const close = (rows: readonly { lb: number | null; ub: number | null }[], want: Ci) =>
  rows.forEach((r, i) => {
    expect(Math.abs(r.lb! - (want.lb[i] as number))).toBeLessThan(1e-10);
    expect(Math.abs(r.ub! - (want.ub[i] as number))).toBeLessThan(1e-10);
  });

describe('single post period (no nuisance) against HonestDiD 0.2.6', () => {
  it('Delta^SD conditional', async () => close(await conditionalCiDeltaSD(es, g.Mvec, { method: 'Conditional' }), g.DeltaSD.Conditional), 60_000);
  it('Delta^RM conditional and C-LF', async () => {
    close(await conditionalCiDeltaRM(es, g.Mbarvec, { method: 'Conditional' }), g.DeltaRM.Conditional);
    close(await conditionalCiDeltaRM(es, g.Mbarvec, { method: 'C-LF' }), g.DeltaRM.C_LF);
  }, 60_000);
  // HonestDiD accepts no grid point here (its CI is Inf/-Inf); we reproduce that and report it as an
  // empty set (lb = ub = null; honestDid adds a warning) rather than inventing an interval.
  it('Delta^SD C-LF: empty on the grid, as in HonestDiD 0.2.6', async () => {
    expect(g.DeltaSD.C_LF.lb).toEqual(['Inf', 'Inf']);
    const rows = await conditionalCiDeltaSD(es, g.Mvec, { method: 'C-LF' });
    expect(rows.map((r) => [r.lb, r.ub])).toEqual([[null, null], [null, null]]);
  }, 60_000);
});
