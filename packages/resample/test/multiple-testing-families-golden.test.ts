import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import { adjustedRowMismatches, loadGolden } from '@panel-lab/testing';
import { wildMultipleTesting } from '../src/index.js';
import { citiesPanelColumns } from './cities-golden.js';

/**
 * Golden: goldens/results/romano_wolf_es_cities.json, a plain R loop (fixest::feols per draw and per
 * hypothesis) of the restricted wild cluster bootstrap of each event-study coefficient of two outcomes,
 * over the Webb weights in goldens/data/romano_wolf_webb_weights.csv (checked against our generator by
 * multiple-testing-golden.test.ts), adjusted within the families post (e >= 0) and pre (e < 0).
 */
interface Golden {
  seed: number;
  draws: number;
  rows: { outcome: string; coefficient: string; event_time: number; family: string; estimate: number; se: number; statistic: number; p_value: number; p_romano_wolf: number; p_westfall_young: number; p_westfall_young_minp: number; t_star_first: number[] }[];
}
const TIMES = [-3, -2, 0, 1, 2];
const dummy = (k: number) => (k < 0 ? `es_m${-k}` : `es_${k}`);

/** cities_panel with y + x and the binned event-time dummies of window [-3, 2], reference -1 (as the R script). */
function eventFrame(): PanelFrame {
  const { city, province, num } = citiesPanelColumns();
  const y = num('y');
  const x = num('x');
  const g = num('g');
  const year = num('year');
  const rel = Float64Array.from(g, (gi, i) => (gi > 0 ? Math.min(2, Math.max(-3, year[i]! - gi)) : Number.NaN));
  return PanelFrame.fromColumns(
    {
      city,
      province,
      year,
      y,
      ypx: Float64Array.from(y, (v, i) => v + x[i]!),
      ...Object.fromEntries(TIMES.map((k) => [dummy(k), Float64Array.from(rel, (e) => (e === k ? 1 : 0))])),
    },
    { unit: 'city', time: 'year' },
  );
}

describe('wildMultipleTesting golden (event-study coefficients x outcomes, two families; plain R fixest loop)', () => {
  it('estimates, SEs, t* and the four p-values within each family match R', async () => {
    const golden = loadGolden<Golden>('romano_wolf_es_cities');
    const frame = eventFrame();
    const terms = TIMES.map(dummy);
    const hypotheses = golden.rows.map((g) => ({ outcome: g.outcome, coefficient: g.coefficient, controls: terms.filter((t) => t !== g.coefficient), family: g.family }));
    const res = await wildMultipleTesting(frame, { hypotheses, cluster: 'province', weights: 'webb', draws: golden.draws, seed: golden.seed, keepDraws: true });
    expect(res.enumerated).toBe(false);
    for (const [k, g] of golden.rows.entries()) {
      const r = res.rows[k]!;
      expect([r.outcome, r.coefficient, r.family]).toEqual([g.outcome, g.coefficient, g.family]);
      expect(adjustedRowMismatches(r, g), `${g.outcome} ${g.coefficient}`).toEqual([]);
    }
  }, 60_000);
});
