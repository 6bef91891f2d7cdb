import { describe, expect, it } from 'vitest';
import { symmetricEigen, symmetricPower } from '../src/sym-eigen.js';

function randomSym(n: number, seed: number): Float64Array {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rnd();
  return a;
}

describe('symmetricEigen', () => {
  it('reconstructs A = V diag(λ) V\' with orthonormal V, eigenvalues ascending', () => {
    for (const n of [1, 2, 5, 40]) {
      const a = randomSym(n, n + 7);
      const { values, vectors } = symmetricEigen(a, n);
      for (let i = 1; i < n; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
      let err = 0;
      let orth = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        let o = 0;
        for (let m = 0; m < n; m++) {
          s += vectors[i * n + m]! * values[m]! * vectors[j * n + m]!;
          o += vectors[m * n + i]! * vectors[m * n + j]!;
        }
        err = Math.max(err, Math.abs(s - a[i * n + j]!));
        orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
      }
      expect(err).toBeLessThan(1e-12);
      expect(orth).toBeLessThan(1e-12);
    }
  });

  it('symmetricPower(A, -1/2) squared is the inverse on a positive definite matrix', () => {
    const n = 6;
    const r = randomSym(n, 3);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = i === j ? 1 : 0;
      for (let m = 0; m < n; m++) s += r[i * n + m]! * r[j * n + m]!;
      a[i * n + j] = s;
    }
    const h = symmetricPower(a, n, -0.5);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let m = 0; m < n; m++) for (let q = 0; q < n; q++) s += h[i * n + m]! * a[m * n + q]! * h[q * n + j]!;
      expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-12);
    }
  });
});
