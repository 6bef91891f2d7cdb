import { balancedTwoWay, levelCount, mat, type KernelAttrs, type KernelInputs, type KernelOutput } from '@panel-lab/compute';

/** y_it - ybar_i - ybar_t + ybar for one column (balanced, unweighted). */
function closedFormColumn(x: Float64Array, a: Int32Array, b: Int32Array, la: number, lb: number): void {
  const n = x.length;
  const ma = new Float64Array(la);
  const mb = new Float64Array(lb);
  let grand = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    ma[a[i]!]! += v;
    mb[b[i]!]! += v;
    grand += v;
  }
  for (let k = 0; k < la; k++) ma[k]! /= lb;
  for (let k = 0; k < lb; k++) mb[k]! /= la;
  grand /= n;
  for (let i = 0; i < n; i++) x[i] = x[i]! - ma[a[i]!]! - mb[b[i]!]! + grand;
}

/** Per-FE level weights (sum of weights, or counts) inverted; 0 for empty levels. */
function inverseLevelWeights(codes: Int32Array, levels: number, w: Float64Array | undefined): Float64Array {
  const tot = new Float64Array(levels);
  for (let i = 0; i < codes.length; i++) tot[codes[i]!]! += w ? w[i]! : 1;
  for (let k = 0; k < levels; k++) tot[k] = tot[k]! > 0 ? 1 / tot[k]! : 0;
  return tot;
}

/**
 * Within transform of every column by all FEs. Two balanced FEs: closed form. Otherwise alternating
 * projections (demean by each FE in turn) until a sweep changes no value by more than tol, with
 * Irons-Tuck acceleration every second sweep unless attrs.accel is 'none' (fixest's demeaning).
 * Reference float64 implementation; iterations counts sweeps.
 */
export function demeanImpl(inputs: KernelInputs<'Demean'>, attrs: KernelAttrs<'Demean'>): KernelOutput<'Demean'> {
  const { x, feCodes, weights } = inputs;
  const n = x.rows;
  const out = Float64Array.from(x.data);
  const balanced = weights === undefined ? balancedTwoWay(feCodes, n) : undefined;
  if (balanced) {
    const [a, b] = feCodes as [Int32Array, Int32Array];
    for (let j = 0; j < x.cols; j++) closedFormColumn(out.subarray(j * n, (j + 1) * n), a, b, balanced.la, balanced.lb);
    return Object.freeze({ x: mat(n, x.cols, out), converged: true, iterations: 1, method: 'balanced-closed-form' as const });
  }
  const levels = feCodes.map((c, q) => levelCount(c, `feCodes[${q}]`));
  const inv = feCodes.map((c, q) => inverseLevelWeights(c, levels[q]!, weights));
  const sums = levels.map((l) => new Float64Array(l));
  /** One sweep (demean by each FE in turn) in place; returns the largest mean removed. */
  const sweep = (col: Float64Array): number => {
    let change = 0;
    for (let q = 0; q < feCodes.length; q++) {
      const codes = feCodes[q]!;
      const s = sums[q]!.fill(0);
      const iw = inv[q]!;
      if (weights) for (let i = 0; i < n; i++) s[codes[i]!]! += weights[i]! * col[i]!;
      else for (let i = 0; i < n; i++) s[codes[i]!]! += col[i]!;
      for (let k = 0; k < s.length; k++) {
        s[k]! *= iw[k]!;
        const m = Math.abs(s[k]!);
        if (m > change) change = m;
      }
      for (let i = 0; i < n; i++) col[i]! -= s[codes[i]!]!;
    }
    return change;
  };
  const accelerate = (attrs.accel ?? 'irons-tuck') === 'irons-tuck';
  const gx = new Float64Array(n);
  const ggx = new Float64Array(n);
  let converged = true;
  let iterations = 0;
  for (let j = 0; j < x.cols; j++) {
    const col = out.subarray(j * n, (j + 1) * n);
    let colConverged = false;
    let it = 0;
    while (it < attrs.maxIter) {
      gx.set(col);
      it++;
      if (sweep(gx) <= attrs.tol) {
        col.set(gx);
        colConverged = true;
        break;
      }
      if (!accelerate || it >= attrs.maxIter) {
        col.set(gx);
        continue;
      }
      ggx.set(gx);
      it++;
      if (sweep(ggx) <= attrs.tol) {
        col.set(ggx);
        colConverged = true;
        break;
      }
      // Irons & Tuck (1969) extrapolation, as fixest: the sweep is linear, so the limit is unchanged.
      let num = 0;
      let den = 0;
      for (let i = 0; i < n; i++) {
        const dG = ggx[i]! - gx[i]!;
        const d2 = dG - gx[i]! + col[i]!;
        num += dG * d2;
        den += d2 * d2;
      }
      const coef = den > 0 ? num / den : 0;
      for (let i = 0; i < n; i++) col[i] = ggx[i]! - coef * (ggx[i]! - gx[i]!);
    }
    converged &&= colConverged;
    iterations = Math.max(iterations, it);
  }
  return Object.freeze({ x: mat(n, x.cols, out), converged, iterations, method: 'alternating-projections' as const });
}
