import { describe, expect, it } from 'vitest';
import { feols } from '@panel-lab/regression';
import { tolerance } from '@panel-lab/testing';
import { mergePlaceboChunks, placeboAssignments, placeboChunk, placeboTest, preparePlacebo, twfeArrays } from '../src/index.js';
import { makePanel, withTreatment } from './dgp.js';

const controls = ['x1', 'x2', 'x3'];
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

describe('placebo draws equal explicit TWFE regressions', () => {
  for (const [label, dgp] of [
    ['balanced', { seed: 3 }],
    ['unbalanced', { seed: 4, dropShare: 0.08 }],
    ['balanced, zone clusters', { seed: 5, zones: 6 }],
  ] as const) {
    for (const mode of ['A_units_true_timing', 'B_units_random_timing', 'C_timing_only'] as const) {
      it(`${label}, mode ${mode}: draws 0, 7, 23 match feols (coef and CR1 SE)`, async () => {
        const frame = makePanel(dgp);
        const cluster = 'zones' in dgp ? 'zone' : 'city';
        const arrays = twfeArrays(frame, { outcome: 'y', cohort: 'cohort', controls, cluster });
        const prepared = preparePlacebo(arrays, { mode });
        const opts = { seed: 11, chunkIndex: 0, chunkSize: 30, draws: 30 };
        const chunk = await placeboChunk(prepared, opts);
        const asg = placeboAssignments(prepared, opts);
        for (const k of [0, 7, 23]) {
          const f = withTreatment(frame, arrays.periods, arrays.unitLabels, asg[k]!.units, asg[k]!.starts);
          const fit = feols(`y ~ dp + ${controls.join(' + ')} | city + year`, f, { vcov: { cluster } });
          expect(rel(chunk.beta[k]!, fit.coefficients[0]!)).toBeLessThan(tolerance('coef', 64) * 10);
          expect(rel(chunk.se![k]!, fit.se[0]!)).toBeLessThan(tolerance('se', 64) * 10);
        }
        expect(chunk.meta.path).toBe(frame.nrows === 480 ? 'tables' : 'explicit-demean');
      });
    }
  }

  it('the observed estimate equals feols on the true treatment', async () => {
    const frame = makePanel({ seed: 6, effect: -0.4 });
    const res = await placeboTest(frame, { outcome: 'y', cohort: 'cohort', controls, draws: 50, seed: 1 });
    const fit = feols(`y ~ treat + ${controls.join(' + ')} | city + year`, frame, { vcov: { cluster: 'city' } });
    expect(rel(res.estimate.beta, fit.coefficients[0]!)).toBeLessThan(1e-8);
    expect(rel(res.estimate.se, fit.se[0]!)).toBeLessThan(1e-7);
    expect(res.estimate.df).toBe(59);
  });
});
