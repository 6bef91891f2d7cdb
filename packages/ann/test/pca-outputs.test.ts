import { createRng } from '@panel-lab/compute';
import { describe, expect, it } from 'vitest';
import { factorIndex } from '../src/index.js';

// Five indicators driven by two latent factors (a, b) plus noise.
function data(n: number, seed: number) {
  const rng = createRng(seed);
  const a = Array.from({ length: n }, () => rng.normal());
  const b = Array.from({ length: n }, () => rng.normal());
  const c = [
    a.map((v) => 0.9 * v + 0.4 * rng.normal()),
    a.map((v, i) => 0.7 * v + 0.3 * b[i]! + 0.5 * rng.normal()),
    b.map((v) => 0.8 * v + 0.5 * rng.normal()),
    b.map((v, i) => 0.6 * v + 0.2 * a[i]! + 0.6 * rng.normal()),
    a.map((v, i) => 0.4 * v + 0.4 * b[i]! + 0.7 * rng.normal()),
  ];
  return { x: Float64Array.from(c.flat()), n, names: c.map((_, j) => `v${j + 1}`), cols: c };
}

const maxAbs = (a: readonly number[], b: readonly number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
/** Varimax criterion on Kaiser-normalised loadings (what stats::varimax maximises). */
function criterion(load: number[][], t: number[][]): number {
  const p = load.length;
  const m = t.length;
  const h = load.map((r) => Math.sqrt(r.reduce((s, v) => s + v * v, 0)));
  let v = 0;
  for (let k = 0; k < m; k++) {
    const col = load.map((r, j) => r.reduce((s, x, a) => s + x * t[a]![k]!, 0) / h[j]!);
    const s2 = col.reduce((s, x) => s + x * x, 0) / p;
    v += col.reduce((s, x) => s + x ** 4, 0) / p - s2 * s2;
  }
  return v;
}

describe('factorIndex: every principal component, scores, rotation and both composites', () => {
  const n = 400;
  const d = data(n, 11);
  const res = factorIndex(d, { nFactors: 2 });
  const p = 5;
  const z = d.cols.map((c, j) => c.map((v) => (v - res.standardization.mean[j]!) / res.standardization.sd[j]!));

  it('eigenvectors are orthonormal; loadings = eigenvectors × sdev; the retained columns are the loadings', () => {
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) {
      const dot = res.eigenvectors.reduce((s, r) => s + r[a]! * r[b]!, 0);
      expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-12);
    }
    res.eigenvalues.forEach((l, k) => expect(Math.abs(res.sdev[k]! - Math.sqrt(l))).toBeLessThan(1e-14));
    for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) expect(res.componentLoadings[j]![k]).toBe(res.eigenvectors[j]![k]! * res.sdev[k]!);
    for (let j = 0; j < p; j++) for (let k = 0; k < 2; k++) expect(Math.abs(res.componentLoadings[j]![k]! - res.loadings[j]![k]!)).toBeLessThan(1e-14);
  });

  it("PC scores are the data's projections on the eigenvectors, uncorrelated, with variances = eigenvalues", () => {
    expect(res.pcScores.length).toBe(n);
    for (let i = 0; i < n; i += 37) {
      const want = Array.from({ length: p }, (_, k) => z.reduce((s, col, j) => s + col[i]! * res.eigenvectors[j]![k]!, 0));
      expect(maxAbs(res.pcScores[i]!, want)).toBeLessThan(1e-12);
    }
    for (let a = 0; a < p; a++) for (let b = a; b < p; b++) {
      const cov = res.pcScores.reduce((s, r) => s + r[a]! * r[b]!, 0) / (n - 1);
      expect(Math.abs(cov - (a === b ? res.eigenvalues[a]! : 0))).toBeLessThan(1e-10);
    }
  });

  it('the varimax rotation is orthogonal, maps the loadings to the rotated loadings and maximises the criterion', () => {
    const t = res.rotation.map((r) => [...r]);
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) expect(Math.abs(t[0]![a]! * t[0]![b]! + t[1]![a]! * t[1]![b]! - (a === b ? 1 : 0))).toBeLessThan(1e-12);
    for (let j = 0; j < p; j++) for (let k = 0; k < 2; k++) {
      const v = res.loadings[j]![0]! * t[0]![k]! + res.loadings[j]![1]! * t[1]![k]!;
      expect(Math.abs(v - res.rotatedLoadings[j]![k]!)).toBeLessThan(1e-12);
    }
    const best = criterion(res.loadings.map((r) => [...r]), t);
    for (const eps of [-0.05, -0.01, 0.01, 0.05]) {
      const g = [[Math.cos(eps), -Math.sin(eps)], [Math.sin(eps), Math.cos(eps)]];
      const tp = t.map((r) => [r[0]! * g[0]![0]! + r[1]! * g[1]![0]!, r[0]! * g[0]![1]! + r[1]! * g[1]![1]!]);
      expect(criterion(res.loadings.map((r) => [...r]), tp)).toBeLessThan(best);
    }
  });

  it('factor scores = z × score coefficients; both composites are min–max of their weighted sums', () => {
    const fs = Array.from({ length: n }, (_, i) => [0, 1].map((k) => z.reduce((s, col, j) => s + col[i]! * res.scoreCoefficients[j]![k]!, 0)));
    expect(maxAbs(res.factorScores.flat(), fs.flat())).toBeLessThan(1e-12);
    const mm = (v: number[]) => { const lo = Math.min(...v); const hi = Math.max(...v); return v.map((x) => (x - lo) / (hi - lo)); };
    expect(maxAbs(res.index, mm(fs.map((f) => res.factorWeights[0]! * f[0]! + res.factorWeights[1]! * f[1]!)))).toBeLessThan(1e-12);
    const lam = res.eigenvalues.slice(0, 2);
    expect(maxAbs(res.pcWeights, lam.map((l) => l / (lam[0]! + lam[1]!)))).toBeLessThan(1e-15);
    expect(maxAbs(res.pcIndex, mm(res.pcScores.map((s) => res.pcWeights[0]! * s[0]! + res.pcWeights[1]! * s[1]!)))).toBeLessThan(1e-12);
    // one factor, unrotated: rotation is the identity and both composites coincide (score ∝ first PC)
    const one = factorIndex(d, { nFactors: 1 });
    expect(one.rotation).toEqual([[1]]);
    expect(maxAbs(one.index, one.pcIndex)).toBeLessThan(1e-12);
  });
});
