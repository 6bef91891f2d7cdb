import { createRng } from '@panel-lab/compute';
import { describe, expect, it } from 'vitest';
import { chiSquareSurvival, entropyIndex, factorIndex, varimax } from '../src/index.js';

/** Column-major matrix from columns. */
const cols = (...c: number[][]) => ({ x: Float64Array.from(c.flat()), n: c[0]!.length, names: c.map((_, j) => `v${j + 1}`) });

describe('factorIndex', () => {
  it('two indicators: eigenvalues 1±r, loadings sqrt((1+r)/2), KMO 0.5, Bartlett closed form', () => {
    const rng = createRng(1);
    const n = 500;
    const a = Array.from({ length: n }, () => rng.normal());
    const b = a.map((v) => 0.6 * v + 0.8 * rng.normal());
    const res = factorIndex(cols(a, b));
    const r = res.eigenvalues[0]! - 1;
    expect(res.eigenvalues[1]!).toBeCloseTo(1 - r, 12);
    expect(res.nFactors).toBe(1); // Kaiser keeps only 1 + r
    expect(res.loadings[0]![0]!).toBeCloseTo(Math.sqrt((1 + r) / 2), 12);
    expect(res.loadings[1]![0]!).toBeCloseTo(Math.sqrt((1 + r) / 2), 12);
    expect(res.kmo).toBeCloseTo(0.5, 12);
    const chi2 = -(n - 1 - 9 / 6) * Math.log(1 - r * r);
    expect(res.bartlett.chi2).toBeCloseTo(chi2, 8);
    expect(res.bartlett.df).toBe(1);
    // one factor: composite ∝ z1 + z2, so the min–max index is the min–max of z1 + z2
    const z = (v: number[]) => { const m = v.reduce((s, x) => s + x, 0) / n; const sd = Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1)); return v.map((x) => (x - m) / sd); };
    const za = z(a); const zb = z(b);
    const s = za.map((v, i) => v + zb[i]!);
    const lo = Math.min(...s); const hi = Math.max(...s);
    res.index.forEach((v, i) => expect(v).toBeCloseTo((s[i]! - lo) / (hi - lo), 10));
    expect(JSON.parse(JSON.stringify(res)).kind).toBe('factor_index');
    expect(res.tidy()).toHaveLength(2);
  });

  it('two-factor data: Kaiser keeps 2, rotation preserves total variance, weights sum to 1, index spans [0,1]', () => {
    const rng = createRng(2);
    const n = 400;
    const f1 = Array.from({ length: n }, () => rng.normal());
    const f2 = Array.from({ length: n }, () => rng.normal());
    const ind = [0.9, 0.8, 0.85].map((l) => f1.map((v) => l * v + 0.4 * rng.normal()))
      .concat([0.9, 0.75].map((l) => f2.map((v) => l * v + 0.4 * rng.normal())));
    const res = factorIndex(cols(...ind));
    expect(res.nFactors).toBe(2);
    const unrot = res.varianceExplained[0]! + res.varianceExplained[1]!;
    expect(res.rotatedVarianceExplained[0]! + res.rotatedVarianceExplained[1]!).toBeCloseTo(unrot, 10);
    expect(res.factorWeights[0]! + res.factorWeights[1]!).toBeCloseTo(1, 12);
    expect(Math.min(...res.index)).toBe(0);
    expect(Math.max(...res.index)).toBe(1);
    expect(res.bartlett.pValue).toBeLessThan(1e-10);
    // simple structure after varimax: indicators 1-3 load on one factor, 4-5 on the other
    const main = res.rotatedLoadings.map((row) => (Math.abs(row[0]!) > Math.abs(row[1]!) ? 0 : 1));
    expect(main[0]).toBe(main[1]);
    expect(main[1]).toBe(main[2]);
    expect(main[3]).toBe(main[4]);
    expect(main[0]).not.toBe(main[3]);
  });

  it('names a constant indicator', () => {
    expect(() => factorIndex(cols([1, 2, 3, 4], [5, 5, 5, 5], [1, 3, 2, 4]))).toThrow(/indicator 'v2' is constant/);
  });
});

describe('varimax', () => {
  // Varimax criterion on Kaiser-normalised rows: Σ_k [mean_j z⁴ − (mean_j z²)²].
  const criterion = (l: Float64Array, p: number) => {
    let total = 0;
    for (let k = 0; k < 2; k++) {
      let s2 = 0, s4 = 0;
      for (let j = 0; j < p; j++) {
        const h = Math.hypot(l[j * 2]!, l[j * 2 + 1]!);
        const z = l[j * 2 + k]! / h;
        s2 += z * z / p; s4 += z ** 4 / p;
      }
      total += s4 - s2 * s2;
    }
    return total;
  };
  const rotate = (l: Float64Array, t: number) => Float64Array.from({ length: l.length }, (_, i) => {
    const j = i >> 1;
    const a = l[j * 2]!; const b = l[j * 2 + 1]!;
    return i % 2 === 0 ? a * Math.cos(t) - b * Math.sin(t) : a * Math.sin(t) + b * Math.cos(t);
  });

  it('two factors: reaches the maximum of the criterion over all rotation angles and keeps communalities', () => {
    const load = Float64Array.of(0.8, 0.25, 0.7, 0.1, 0.9, 0.3, 0.2, 0.75, 0.15, 0.6, 0.35, 0.7);
    const p = 6;
    const out = varimax(rotate(load, 0.5), p, 2, 1e-12);
    const statsDefault = varimax(rotate(load, 0.5), p, 2); // stats::varimax's eps 1e-5 stops slightly early
    let best = -Infinity;
    for (let k = 0; k < 20000; k++) best = Math.max(best, criterion(rotate(load, (k / 20000) * Math.PI / 2), p));
    expect(criterion(out, p)).toBeGreaterThanOrEqual(best - 1e-7);
    expect(criterion(statsDefault, p)).toBeGreaterThanOrEqual(best - 1e-4);
    for (let j = 0; j < p; j++) expect(Math.hypot(out[j * 2]!, out[j * 2 + 1]!)).toBeCloseTo(Math.hypot(load[j * 2]!, load[j * 2 + 1]!), 12);
  });
});

describe('chiSquareSurvival', () => {
  it('matches closed forms: df=2 → exp(-x/2); df=1 at 3.841459 → 0.05', () => {
    for (const x of [0.5, 2, 7, 30]) expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 12);
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 9);
  });
});

describe('entropyIndex', () => {
  it('matches a hand computation; a near-constant indicator gets the larger weight', () => {
    const a = [0, 1, 2, 3];
    const b = [5, 5, 5, 6];
    const res = entropyIndex(cols(a, b), { shift: 1e-4 });
    const manual = (v: number[]) => {
      const lo = Math.min(...v); const hi = Math.max(...v);
      const s = v.map((x) => (x - lo) / (hi - lo) + 1e-4);
      const tot = s.reduce((q, x) => q + x, 0);
      return { s, e: -s.reduce((q, x) => q + (x / tot) * Math.log(x / tot), 0) / Math.log(v.length) };
    };
    const ma = manual(a); const mb = manual(b);
    const wa = (1 - ma.e) / (2 - ma.e - mb.e);
    expect(res.weights[0]!).toBeCloseTo(wa, 12);
    expect(res.weights[1]!).toBeGreaterThan(res.weights[0]!);
    // the composite is on the unshifted normalised indicators
    res.index.forEach((v, i) => expect(v).toBeCloseTo(wa * (ma.s[i]! - 1e-4) + (1 - wa) * (mb.s[i]! - 1e-4), 12));
    expect(res.shift).toBe(1e-4);
    expect(res.tidy()[1]).toMatchObject({ term: 'v2' });
  });

  it('shift 0: q ln q = 0 at q = 0 (finite weights, the unshifted hand computation); the index spans [0, 1]', () => {
    const a = [0, 1, 2, 3];
    const b = [5, 5, 5, 6];
    const res = entropyIndex(cols(a, b), { shift: 0 });
    // a' = (0, 1/3, 2/3, 1): q = (0, 1/6, 1/3, 1/2); b' = (0, 0, 0, 1): q = (0, 0, 0, 1), e = 0
    const ea = -[1 / 6, 1 / 3, 1 / 2].reduce((h, q) => h + q * Math.log(q), 0) / Math.log(4);
    expect(res.entropy[0]!).toBeCloseTo(ea, 14);
    expect(res.entropy[1]!).toBe(0);
    const wa = (1 - ea) / (2 - ea);
    expect(res.weights[0]!).toBeCloseTo(wa, 14);
    expect(res.weights[1]!).toBeCloseTo(1 - wa, 14);
    const expected = [0, wa / 3, (2 * wa) / 3, 1];
    res.index.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 14));
  });

  it('rejects a negative or non-finite shift, and an indicator that is 0 on every row of a period with shift 0', () => {
    expect(() => entropyIndex(cols([0, 1, 2], [2, 1, 0]), { shift: -1e-4 })).toThrow(/option shift/);
    expect(() => entropyIndex(cols([0, 1, 2], [2, 1, 0]), { shift: Number.NaN })).toThrow(/option shift/);
    const byPeriod = Int32Array.of(0, 0, 1, 1);
    expect(() => entropyIndex(cols([0, 0, 1, 2], [3, 1, 2, 0]), { shift: 0, byPeriod })).toThrow(/'v1' is 0 on every row in period 0.*shift 0/);
  });

  it('negative indicators are reversed; year-by-year weights sum to 1 per year', () => {
    const pos = entropyIndex(cols([0, 1, 2, 3], [5, 5, 5, 6]));
    const neg = entropyIndex(cols([0, 1, 2, 3], [6, 6, 6, 5]), { negative: ['v2'] });
    pos.weights.forEach((w, j) => expect(neg.weights[j]!).toBeCloseTo(w, 12));
    const byYear = entropyIndex(cols([0, 1, 2, 3, 1, 4], [1, 3, 2, 2, 5, 1]), { byPeriod: Int32Array.of(0, 0, 0, 1, 1, 1) });
    for (const w of byYear.weightsByPeriod!) expect(w[0]! + w[1]!).toBeCloseTo(1, 12);
    expect(() => entropyIndex(cols([1, 2], [3, 4]), { negative: ['nope'] })).toThrow(/'nope'/);
  });
});
