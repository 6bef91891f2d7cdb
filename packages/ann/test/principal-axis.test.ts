import { createRng } from '@panel-lab/compute';
import { describe, expect, it } from 'vitest';
import { factorIndex } from '../src/index.js';

const cols = (c: number[][]) => ({ x: Float64Array.from(c.flat()), n: c[0]!.length, names: c.map((_, j) => `v${j + 1}`) });

/** Lower Cholesky factor of a small SPD matrix (test helper). */
function chol(a: number[][]): number[][] {
  const k = a.length;
  const l = a.map(() => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) {
    let s = a[i]![j]!;
    for (let t = 0; t < j; t++) s -= l[i]![t]! * l[j]![t]!;
    l[i]![j] = i === j ? Math.sqrt(s) : s / l[j]![j]!;
  }
  return l;
}

/** n rows whose SAMPLE correlation matrix is exactly `r`: whiten random draws, then colour them with chol(r). */
function exactCorrelationData(r: number[][], n: number, seed: number): number[][] {
  const rng = createRng(seed);
  const k = r.length;
  const z = Array.from({ length: k }, () => Array.from({ length: n }, () => rng.normal()));
  for (const c of z) { const m = c.reduce((s, v) => s + v, 0) / n; c.forEach((v, i) => { c[i] = v - m; }); }
  const s = z.map((a) => z.map((b) => a.reduce((t, v, i) => t + v * b[i]!, 0) / (n - 1)));
  const ls = chol(s);
  const w = z.map(() => new Array<number>(n).fill(0)); // w = L_s⁻¹ z (forward substitution per row)
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) {
    let v = z[a]![i]!;
    for (let b = 0; b < a; b++) v -= ls[a]![b]! * w[b]![i]!;
    w[a]![i] = v / ls[a]![a]!;
  }
  const lr = chol(r);
  return r.map((_, a) => Array.from({ length: n }, (_, i) => lr[a]!.reduce((t, v, b) => t + v * w[b]![i]!, 0)));
}

describe("factorIndex extraction 'principal_axis'", () => {
  it('two indicators: communalities follow h_k = r − (r − r²)/2^k from the SMC r², stopping as psych does', () => {
    const r = 0.6;
    const res = factorIndex(cols(exactCorrelationData([[1, r], [r, 1]], 40, 3)), { extraction: 'principal_axis', nFactors: 1 });
    // |Σh²_k − Σh²_{k−1}| = 2(r − r²)/2^k first drops below 0.001 at K
    let K = 1;
    while (2 * (r - r * r) / 2 ** K >= 0.001) K++;
    expect(res.extraction).toBe('principal_axis');
    expect(res.iterations).toBe(K);
    expect(res.converged).toBe(true);
    const h2 = r - (r - r * r) / 2 ** K;
    expect(res.loadings[0]![0]!).toBeCloseTo(Math.sqrt(h2), 10);
    expect(res.loadings[1]![0]!).toBeCloseTo(Math.sqrt(h2), 10);
    expect(res.communalities[0]!).toBeCloseTo(h2, 10);
    expect(res.varianceExplained).toHaveLength(1);
    expect(res.varianceExplained[0]!).toBeCloseTo(h2, 10); // 2·h²/p with p = 2
  });

  it('exact one-factor correlation matrix: recovers the loadings (0.9, 0.8, 0.7) and communalities l²', () => {
    const l = [0.9, 0.8, 0.7];
    const r = l.map((a, i) => l.map((b, j) => (i === j ? 1 : a * b)));
    const res = factorIndex(cols(exactCorrelationData(r, 60, 4)), { extraction: 'principal_axis', nFactors: 1, tolerance: 1e-13, maxIter: 2000 });
    expect(res.converged).toBe(true);
    l.forEach((v, j) => {
      expect(res.loadings[j]![0]!).toBeCloseTo(v, 6);
      expect(res.communalities[j]!).toBeCloseTo(v * v, 6);
    });
    // principal components on the same data overstate the loadings (they absorb unique variance)
    const pc = factorIndex(cols(exactCorrelationData(r, 60, 4)), { nFactors: 1 });
    expect(pc.extraction).toBe('principal_components');
    expect(pc.iterations).toBeNull();
    l.forEach((v, j) => expect(pc.loadings[j]![0]!).toBeGreaterThan(v));
  });

  it('reports non-convergence and names bad options', () => {
    const l = [0.9, 0.8, 0.7];
    const r = l.map((a, i) => l.map((b, j) => (i === j ? 1 : a * b)));
    const data = cols(exactCorrelationData(r, 60, 5));
    const res = factorIndex(data, { extraction: 'principal_axis', nFactors: 1, tolerance: 1e-15, maxIter: 2 });
    expect(res.iterations).toBe(2);
    expect(res.converged).toBe(false);
    expect(() => factorIndex(data, { extraction: 'ml' as never })).toThrow(/option extraction/);
    expect(() => factorIndex(data, { extraction: 'principal_axis', tolerance: 0 })).toThrow(/option tolerance/);
  });
});
