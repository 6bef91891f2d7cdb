// Space x time Conley HAC against a dense base-R computation of the formula on the synthetic
// cities panel (packages/testing/goldens/results/conley_spacetime_cities.json, script beside it),
// plus the equivalences: L = 0 is the per-period spatial meat, and one period reduces to fixest's Conley.
import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import { loadGolden, maxRelDiff } from '@panel-lab/testing';
import { feols, normalizeVcov, withVcov } from '../src/index.js';
import { vcovConley } from '../src/vcov-conley.js';
import { vcovConleySpaceTime } from '../src/vcov-conley-st.js';
import { loadCsvColumns } from './mpdta.js';

interface Case { cutoff_km: number; distance: 'triangular' | 'spherical'; kernel: 'uniform' | 'bartlett'; lag: number; vcov: number[][]; se: number[] }
interface Golden { formula: string; coef: number[]; n: number; cases: Record<string, Case> }

const g = loadGolden<Golden>('conley_spacetime_cities');
const c = loadCsvColumns('cities_panel.csv');
const data = PanelFrame.fromColumns(
  Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Float64Array.from(v)])),
  { unit: 'city_code', time: 'year' },
);

describe('space x time Conley HAC (dense R formula)', () => {
  const fit = feols(g.formula, data);
  it('coefficients match', () => expect(maxRelDiff(fit.coefficients, g.coef)).toBeLessThan(1e-8));
  for (const [key, ref] of Object.entries(g.cases)) {
    it(`${key}: vcov (no small-sample factor) and label`, () => {
      const spec = { type: 'conley', lat: 'lat', lon: 'lon', cutoff: ref.cutoff_km, distance: ref.distance, kernel: ref.kernel, lag: ref.lag };
      const f = withVcov(fit, spec, { kAdj: false }, { data });
      const d = maxRelDiff(f.vcov.flat(), ref.vcov.flat());
      console.log(`conley space x time ${key} max rel diff ${d}`);
      expect(d).toBeLessThan(1e-11);
      expect(f.vcovLabel).toContain(`L=${ref.lag}`);
      // default ssc: n / (n - K), as fixest's Conley
      const K = fit.dof.nparams;
      expect(maxRelDiff(withVcov(fit, spec, undefined, { data }).vcov.flat(), ref.vcov.flat().map((v) => (v * g.n) / (g.n - K)))).toBeLessThan(1e-11);
    });
  }

  it('one period: equals fixest-style Conley on that cross-section; unit and time default to the FE', () => {
    let s = 5;
    const rnd = () => ((s = (s * 69069 + 1) % 4294967296) / 4294967296);
    const n = 300;
    const lat = Float64Array.from({ length: n }, () => 20 + 30 * rnd());
    const lon = Float64Array.from({ length: n }, () => 100 + 30 * rnd());
    const scores = [Float64Array.from({ length: n }, () => rnd() - 0.5), Float64Array.from({ length: n }, () => rnd() - 0.5)];
    const bread = Float64Array.from([2, 0.3, 0.3, 1]);
    const unit = Int32Array.from({ length: n }, (_, i) => i);
    const time = new Int32Array(n);
    for (const kernel of ['uniform', 'bartlett'] as const) {
      const a = vcovConleySpaceTime({ bread, scores, lat, lon, cutoff: 500, distance: 'spherical', kernel, unit, time, lag: 3 });
      const b = vcovConley({ bread, scores, lat, lon, cutoff: 500, distance: 'spherical', kernel });
      expect(maxRelDiff(a, b)).toBeLessThan(1e-12);
    }
    const v = normalizeVcov({ type: 'conley', cutoff: 100, lag: 2 }, ['city_code', 'year']);
    expect([v.unit, v.time, v.lag]).toEqual(['city_code', 'year', 2]);
  });

  it('bad options are named', () => {
    expect(() => normalizeVcov({ type: 'conley', cutoff: 100, lag: -1 }, ['a', 'b'])).toThrow(/lag/);
    expect(() => normalizeVcov({ type: 'conley', cutoff: 100, time: 'year' }, ['a', 'b'])).toThrow(/needs 'lag'/);
    expect(() => normalizeVcov({ type: 'conley', cutoff: 100, lag: 1 }, [])).toThrow(/unit and time/);
  });
});
