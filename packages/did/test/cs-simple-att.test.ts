import { describe, expect, it } from 'vitest';
import { createRng, permutation } from '@panel-lab/compute';
import { PanelFrame } from '@panel-lab/panel';
import { aggte, attGt } from '../src/index.js';
import { SimpleAttEvaluator } from '../src/placebo/cs-simple-att.js';
import { treatmentSetup } from '../src/treatment.js';

/** Staggered panel with effects, unit weights and a few missing rows (units left out by balancing). */
function panel(seed: number) {
  const rng = createRng(seed);
  const cols: Record<string, number[]> = { unit: [], time: [], y: [], g: [], w: [] };
  for (let u = 0; u < 80; u++) {
    const g = [2003, 2004, 2006, 0, 0, 2009][u % 6]!; // 2009: after the sample = never treated
    const a = rng.normal();
    const w = 0.5 + rng.uniform();
    for (let t = 2000; t < 2008; t++) {
      if (u % 17 === 3 && t === 2005) continue;
      cols.unit!.push(u), cols.time!.push(t), cols.g!.push(g), cols.w!.push(w);
      cols.y!.push(a + 0.2 * t + (g > 0 && t >= g ? -0.5 - 0.1 * (t - g) : 0) + rng.normal());
    }
  }
  return PanelFrame.fromColumns(cols, { unit: 'unit', time: 'time' });
}

describe('SimpleAttEvaluator (no covariates) = aggte(attGt, simple, naRm) on the same cohorts', () => {
  const frame = panel(1);
  const setup = treatmentSetup(frame, { cohort: 'g' });
  const rowUnit = setup.rowUnit;
  const cases = [
    { controlGroup: 'nevertreated', estMethod: 'dr', anticipation: 0 },
    { controlGroup: 'notyettreated', estMethod: 'reg', anticipation: 0 },
    { controlGroup: 'notyettreated', estMethod: 'ipw', anticipation: 1, weights: 'w' },
    { controlGroup: 'nevertreated', estMethod: 'dr', anticipation: 0, weights: 'w', basePeriod: 'universal' },
  ] as const;
  for (const c of cases) {
    it(`${c.controlGroup}, ${c.estMethod}, anticipation ${c.anticipation}${'weights' in c ? ', weighted' : ''}${'basePeriod' in c ? ', universal base' : ''}`, () => {
      const ev = new SimpleAttEvaluator(frame, setup, { outcome: 'y', ...c });
      const rng = createRng(5);
      const cohorts = Float64Array.from(setup.unitCohort, (g) => (Number.isFinite(g) ? g : 0));
      for (let draw = 0; draw < 8; draw++) {
        const pseudo = draw === 0 ? cohorts : Float64Array.from(permutation(rng, cohorts.length), (j) => cohorts[j]!);
        const col = Float64Array.from(rowUnit, (u) => pseudo[u]!);
        const ref = aggte(attGt(frame.withColumns({ g: col }), { outcome: 'y', treatment: { cohort: 'g' }, ...c }), { type: 'simple', naRm: true }).overallAtt;
        const got = ev.evaluate(pseudo);
        expect(got.ok).toBe(true);
        if (got.ok) expect(Math.abs(got.att - ref)).toBeLessThan(1e-12 * Math.max(1, Math.abs(ref)));
      }
    });
  }

  it('answers null (full path) without never-treated units, and says why', () => {
    const ev = new SimpleAttEvaluator(frame, setup, { outcome: 'y', controlGroup: 'notyettreated', estMethod: 'dr', anticipation: 0 });
    const r = ev.evaluate(new Float64Array(setup.nUnits).fill(2004));
    expect(r).toEqual({ ok: false, fallback: true, reason: 'no never-treated unit' });
  });
});
