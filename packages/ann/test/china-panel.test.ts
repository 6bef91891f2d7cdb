import { initTfjs } from '@panel-lab/compute-tfjs';
import {
  CITY_ATTRIBUTES, DE_INDEX_COLUMN, SEED002_CONDITIONING, SEED002_CONTROLS, TREATMENT, generateChinaPanel,
} from '@panel-lab/datasets';
import { describe, expect, it } from 'vitest';
import { annBootstrapNetEffect, designFromFrame, subgroupFromFrame } from '../src/index.js';

describe('annBootstrapNetEffect on the synthetic China panel', () => {
  it('recovers the true partial-dependence curve of CO2 intensity within its band over most of the grid', async () => {
    // 120 cities × 9 years keeps this under ~10 s on 2 cores (tfjs-wasm, 10 replicates, 400 epochs).
    const panel = generateChinaPanel({ seed: 7, cities: 120 });
    const inputs = [DE_INDEX_COLUMN, ...SEED002_CONDITIONING, ...SEED002_CONTROLS];
    expect(inputs).toHaveLength(27);
    const d = designFromFrame(panel.frame, { inputs, target: 'co2_002_intensity' });
    expect(d.n + d.droppedRows).toBe(1080); // rows with a gap in a control are dropped and counted
    const engine = await initTfjs({ backend: 'wasm' });
    const res = await annBootstrapNetEffect(d, {
      focal: DE_INDEX_COLUMN, seed: 3, replicates: 10, gridPoints: 20, epochs: 400, learningRate: 0.01, patience: 50,
      engine, som: { mode: 'none' },
      conditioning: ['gdp_pc'], surfaceGridPoints: 4, surfaceRows: 200,
      subgroups: [
        subgroupFromFrame(panel.frame, d, CITY_ATTRIBUTES.sizeClass),
        subgroupFromFrame(panel.frame, d, TREATMENT.digitalPilotYear, (y) => (y > 0 ? 'pilot_zone' : 'other')),
      ],
    });
    expect(res.meta.engine).toBe('tfjs-wasm');
    const tg = panel.truth.response.grid;
    const tp = panel.truth.response.partialDependence.co2_002_intensity;
    const truthAt = (x: number) => {
      let k = 0;
      while (k < tg.length - 2 && tg[k + 1]! < x) k++;
      const w = (x - tg[k]!) / (tg[k + 1]! - tg[k]!);
      return tp[k]! * (1 - w) + tp[k + 1]! * w;
    };
    const inside = res.grid.filter((x, k) => truthAt(x) >= res.curve.lo[k]! && truthAt(x) <= res.curve.hi[k]!).length;
    expect(inside / res.grid.length).toBeGreaterThanOrEqual(0.8);
    expect(res.surfaces[0]!.z).toHaveLength(4);
    expect(res.subgroups.filter((s) => s.variable === TREATMENT.digitalPilotYear).map((s) => s.level)).toEqual(['other', 'pilot_zone']);
    expect(res.subgroups.reduce((s, g) => s + (g.variable === CITY_ATTRIBUTES.sizeClass ? g.nRows : 0), 0)).toBe(d.n);
  }, 60_000);
});
