import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { multiplierWeights } from '@panel-lab/compute';
import { PanelFrame } from '@panel-lab/panel';
import { adjustedRowMismatches, goldenDataPath, loadGolden } from '@panel-lab/testing';
import { romanoWolf } from '../src/index.js';
import { citiesPanelColumns } from './cities-golden.js';

/**
 * Golden: goldens/results/romano_wolf_cities.json, a plain R loop (fixest::feols per draw on
 * y* = y + u (v - 1)) over the Webb weights in goldens/data/romano_wolf_webb_weights.csv. That
 * file is our generator's output (seed 20261205, 499 draws, one column per province in order of
 * first appearance), written as codes c with v = sign(c) sqrt(|c| / 2); this test checks it is
 * still what the generator gives (WRITE_GOLDEN_WEIGHTS=1 rewrites it).
 */
interface Golden {
  seed: number;
  draws: number;
  outcomes: string[];
  rows: { outcome: string; estimate: number; se: number; statistic: number; p_value: number; p_romano_wolf: number; p_westfall_young: number; p_westfall_young_minp: number; t_star_first: number[] }[];
}
const SEED = 20261205;
const DRAWS = 499;
const WEIGHTS_FILE = 'romano_wolf_webb_weights.csv';

function citiesFrame(): PanelFrame {
  const { city, province, num } = citiesPanelColumns();
  const y = num('y');
  const x = num('x');
  return PanelFrame.fromColumns(
    {
      city,
      province,
      year: num('year'),
      D: num('D'),
      y,
      x,
      ypx: Float64Array.from(y, (v, i) => v + x[i]!),
      ysq: Float64Array.from(y, (v) => (v * v) / 10),
    },
    { unit: 'city', time: 'year' },
  );
}

describe('romanoWolf golden (plain R fixest loop over the same weights)', () => {
  const frame = citiesFrame();
  const provinces = [...new Set(frame.values('province').map(String))];

  it('the committed weight file is the generator output for the seed', () => {
    const V = multiplierWeights({ seed: SEED, draws: DRAWS, clusters: provinces.length, kind: 'webb' });
    const code = (v: number) => Math.sign(v) * Math.round(2 * v * v);
    const lines = [provinces.join(',')];
    for (let b = 0; b < DRAWS; b++) lines.push(Array.from({ length: provinces.length }, (_, c) => code(V.data[b * provinces.length + c]!)).join(','));
    const text = `${lines.join('\n')}\n`;
    if (process.env['WRITE_GOLDEN_WEIGHTS'] === '1') writeFileSync(goldenDataPath(WEIGHTS_FILE), text);
    expect(readFileSync(goldenDataPath(WEIGHTS_FILE), 'utf8')).toBe(text);
    // codes are exact: sqrt(|c| / 2) is each Webb value
    for (const v of V.data.subarray(0, 200)) expect(Math.abs(Math.abs(v) - Math.sqrt(Math.abs(code(v)) / 2))).toBeLessThan(1e-15);
  });

  it('estimates, SEs and all four p-values match the R loop', async () => {
    const golden = loadGolden<Golden>('romano_wolf_cities');
    expect([golden.seed, golden.draws]).toEqual([SEED, DRAWS]);
    const res = await romanoWolf(frame, { outcomes: golden.outcomes, coefficient: 'D', cluster: 'province', weights: 'webb', draws: golden.draws, seed: golden.seed, keepDraws: true });
    expect(res.enumerated).toBe(false);
    for (const [k, g] of golden.rows.entries()) {
      const r = res.rows[k]!;
      expect(r.outcome).toBe(g.outcome);
      expect(adjustedRowMismatches(r, g), g.outcome).toEqual([]);
    }
  });
});
