// Golden tests against fixest 0.14.2 vcov_conley on the synthetic cities panel
// (packages/testing/goldens/results/conley_cities.json), plus a brute-force n x n check of the grid.
import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import { loadGolden, maxRelDiff } from '@panel-lab/testing';
import { feols, tidy, withVcov } from '../src/index.js';
import { conleyPairCount, vcovConley } from '../src/vcov-conley.js';
import { loadCsvColumns } from './mpdta.js';

interface ConleyBlock { cutoff_km: number; distance: 'triangular' | 'spherical'; se: number[]; p: number[]; t_df: number; vcov: { matrix: number[][] }; se_no_K_adj: number[] }
interface Model { formula: string; coef: number[]; se: Record<string, number[]>; conley: Record<string, ConleyBlock> }
interface ConleyGolden {
  pair_counts: Record<string, { cutoff_km: number; pairs_within_spherical: number; pairs_within_triangular: number }>;
  models: Record<'with_x' | 'no_x', Model>;
}

const g = loadGolden<ConleyGolden>('conley_cities');
const c = loadCsvColumns('cities_panel.csv');
const data = PanelFrame.fromColumns(
  Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Float64Array.from(v)])),
  { unit: 'city_code', time: 'year' },
);
const TOL = 1e-8;

describe('Conley spatial HAC (fixest vcov_conley)', () => {
  for (const model of ['with_x', 'no_x'] as const) {
    const ref = g.models[model];
    const fit = feols(ref.formula, data);
    it(`${model}: coefficients and the cluster SE match (sanity)`, () => {
      expect(maxRelDiff(fit.coefficients, ref.coef)).toBeLessThan(1e-8);
      expect(maxRelDiff(withVcov(fit, { cluster: 'city_code' }).se, ref.se.cluster_city!)).toBeLessThan(1e-7);
    });
    for (const [key, blk] of Object.entries(ref.conley)) {
      it(`${model} ${key}: vcov, SE without K.adj, t df and p`, () => {
        const f = withVcov(fit, { type: 'conley', lat: 'lat', lon: 'lon', cutoff: blk.cutoff_km, distance: blk.distance }, undefined, { data });
        const d = maxRelDiff(f.vcov.flat(), blk.vcov.matrix.flat());
        console.log(`conley ${model} ${key} max rel diff ${d}`);
        expect(d).toBeLessThan(TOL);
        expect(maxRelDiff(withVcov(f, f.vcovSpec, { kAdj: false }).se, blk.se_no_K_adj)).toBeLessThan(TOL);
        expect(f.dof.t).toBe(blk.t_df);
        expect(maxRelDiff(tidy(f).map((r) => r.p_value), blk.p)).toBeLessThan(1e-7);
        expect(f.vcovLabel).toBe(`Conley (${blk.cutoff_km} km, ${blk.distance})`);
      });
    }
  }

  it('pairs within the cut-off match the reference counts', () => {
    const lat = Float64Array.from(c.lat!);
    const lon = Float64Array.from(c.lon!);
    for (const p of Object.values(g.pair_counts)) {
      expect(conleyPairCount(lat, lon, p.cutoff_km, 'spherical')).toBe(p.pairs_within_spherical);
      expect(conleyPairCount(lat, lon, p.cutoff_km, 'triangular')).toBe(p.pairs_within_triangular);
    }
  });

  it('the grid search equals an all-pairs loop (uniform and Bartlett, both distances, across the date line)', () => {
    let s = 11;
    const rnd = () => ((s = (s * 69069 + 1) % 4294967296) / 4294967296);
    const n = 400;
    const lat = Float64Array.from({ length: n }, () => -60 + 120 * rnd());
    const lon = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 175 + 10 * rnd() - (rnd() < 0.5 ? 360 : 0) : -180 + 360 * rnd()));
    const scores = [Float64Array.from({ length: n }, () => rnd() - 0.5), Float64Array.from({ length: n }, () => rnd() - 0.5)];
    const bread = Float64Array.from([2, 0.3, 0.3, 1]);
    for (const distance of ['triangular', 'spherical'] as const) {
      for (const kernel of ['uniform', 'bartlett'] as const) {
        const cutoff = 900;
        const got = vcovConley({ bread, scores, lat, lon, cutoff, distance, kernel });
        const want = bruteConley(bread, scores, lat, lon, cutoff, distance, kernel);
        expect(maxRelDiff(got, want)).toBeLessThan(1e-12);
      }
    }
  });
});

/** The rule of vcov-conley.ts written as a plain double loop over observations. */
function bruteConley(bread: Float64Array, scores: Float64Array[], lat: Float64Array, lonIn: Float64Array, cutoff: number, distance: string, kernel: string): Float64Array {
  const n = lat.length;
  const lon = lonIn.map((x) => (x > 180 ? x - 360 : x < -180 ? x + 360 : x));
  const r = Math.PI / 180;
  const latCut = ((cutoff / 111) * 3.14159) / 180;
  const meat = new Float64Array(4);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let w = 0;
    if (lat[i] === lat[j] && lon[i] === lon[j]) w = 1;
    else {
      const dLat = Math.abs(lat[i]! - lat[j]!) * r;
      let dLon = Math.abs(lon[i]! - lon[j]!) * r;
      if (dLon >= 3.14159) dLon = 6.28318 - dLon;
      const cm = Math.cos(((lat[i]! + lat[j]!) / 2) * r);
      if (dLat > latCut || dLon > latCut / cm) continue;
      let d: number;
      if (distance === 'spherical') {
        const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat[i]! * r) * Math.cos(lat[j]! * r) * Math.sin(dLon / 2) ** 2;
        d = 12752 * Math.asin(Math.min(1, Math.sqrt(a)));
        if (d > cutoff) continue;
      } else {
        const d2 = dLat * dLat + (cm * dLon) ** 2;
        if (d2 > latCut * latCut) continue;
        d = (Math.sqrt(d2) / latCut) * cutoff;
      }
      w = kernel === 'bartlett' ? 1 - d / cutoff : 1;
    }
    for (let p = 0; p < 2; p++) for (let q = 0; q < 2; q++) meat[p * 2 + q]! += w * scores[p]![i]! * scores[q]![j]!;
  }
  const t = new Float64Array(4);
  const out = new Float64Array(4);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let m = 0; m < 2; m++) t[i * 2 + j]! += bread[i * 2 + m]! * meat[m * 2 + j]!;
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let m = 0; m < 2; m++) out[i * 2 + j]! += t[i * 2 + m]! * bread[m * 2 + j]!;
  return out;
}
