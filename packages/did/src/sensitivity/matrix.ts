/** Small dense helpers for the sensitivity code: matrices here are at most a few dozen rows. */
export type Mat = number[][];

export const zeros = (r: number, c: number): Mat => Array.from({ length: r }, () => new Array<number>(c).fill(0));
export const identity = (n: number): Mat => zeros(n, n).map((row, i) => { row[i] = 1; return row; });
export const transpose = (a: Mat): Mat => (a.length === 0 ? [] : a[0]!.map((_, j) => a.map((row) => row[j]!)));
export const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
export const matVec = (a: Mat, v: ArrayLike<number>): number[] => a.map((row) => dot(row, v));
export function matMul(a: Mat, b: Mat): Mat {
  const bt = transpose(b);
  return a.map((row) => bt.map((col) => dot(row, col)));
}
/** a' S a for a vector a. */
export const quadForm = (s: Mat, a: ArrayLike<number>): number => dot(a, matVec(s, a));
export const subMatrix = (a: Mat, rows: readonly number[], cols: readonly number[]): Mat =>
  rows.map((i) => cols.map((j) => a[i]![j]!));
export const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

/** Inverse by Gauss-Jordan with partial pivoting; throws when (numerically) singular. */
export function inverse(a: Mat): Mat {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...identity(n)[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    const piv = m[p]![c]!;
    if (Math.abs(piv) < 1e-300) throw new Error('sensitivity: singular matrix in inverse()');
    [m[c], m[p]] = [m[p]!, m[c]!];
    const rowC = m[c]!;
    for (let j = 0; j < 2 * n; j++) rowC[j] = rowC[j]! / piv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      if (f === 0) continue;
      const rowR = m[r]!;
      for (let j = 0; j < 2 * n; j++) rowR[j] = rowR[j]! - f * rowC[j]!;
    }
  }
  return m.map((row) => row.slice(n));
}

/** Numerical rank by Gaussian elimination, tolerance relative to the largest entry (as a QR rank would). */
export function rank(a: Mat): number {
  if (a.length === 0 || a[0]!.length === 0) return 0;
  const m = a.map((r) => [...r]);
  const rows = m.length;
  const cols = m[0]!.length;
  const scale = Math.max(...m.flat().map(Math.abs));
  const tol = Math.max(rows, cols) * Number.EPSILON * (scale || 1);
  let rk = 0;
  for (let c = 0; c < cols && rk < rows; c++) {
    let p = rk;
    for (let r = rk + 1; r < rows; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (Math.abs(m[p]![c]!) <= tol) continue;
    [m[rk], m[p]] = [m[p]!, m[rk]!];
    for (let r = rk + 1; r < rows; r++) {
      const f = m[r]![c]! / m[rk]![c]!;
      for (let j = c; j < cols; j++) m[r]![j] = m[r]![j]! - f * m[rk]![j]!;
    }
    rk++;
  }
  return rk;
}

/** Symmetric square root V diag(sqrt(max(lambda, 0))) V' by cyclic Jacobi (unique for a PSD matrix). */
export function symmetricSqrt(s: Mat): Mat {
  const n = s.length;
  const a = s.map((r) => [...r]);
  const v = identity(n);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i]![j]! ** 2;
    if (off < 1e-30 * (1 + a.reduce((t, r, i) => t + r[i]! ** 2, 0))) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (apq === 0) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - sn * akq;
          a[k]![q] = sn * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - sn * aqk;
          a[q]![k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - sn * vkq;
          v[k]![q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const root = a.map((r, i) => Math.sqrt(Math.max(r[i]!, 0)));
  return range(0, n).map((i) => range(0, n).map((j) => {
    let s2 = 0;
    for (let k = 0; k < n; k++) s2 += v[i]![k]! * root[k]! * v[j]![k]!;
    return s2;
  }));
}
