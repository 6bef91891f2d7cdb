import {
  assertFitsBinding,
  balancedTwoWay,
  columnScales,
  levelCount,
  mat,
  scaledFloat32,
  type KernelAttrs,
  type KernelInputs,
  type KernelOutput,
} from '@panel-lab/compute';
import { assertGpujsIndexable, type CompiledKernel, type GpujsBackend } from './backend.js';

/** Floor on the sweep-change tolerance in float32 (columns are scaled to unit rms first), as on tfjs. */
export const GPUJS_DEMEAN_TOL_FLOOR = 1e-5;

interface KernelThis {
  thread: { x: number; y: number };
  constants: { maxLen: number };
}

interface FeKernels {
  levels: number;
  means: CompiledKernel;
  subtract: CompiledKernel;
  order: Float32Array;
  start: Float32Array;
  inv: Float32Array;
  codes: Float32Array;
}

function rowsToColumnMajor(out: unknown, rows: number, cols: number, into: Float32Array): Float32Array {
  if (out instanceof Float32Array) into.set(out.subarray(0, rows * cols));
  else (out as Float32Array[]).forEach((row, y) => into.set(row.subarray(0, rows), y * rows));
  return into;
}

/**
 * Within transform on gpu.js: per FE one kernel for the (weighted) level means (rows ordered by level
 * on the cpu, CSR) and one that subtracts them, compiled once per call and run every sweep. The
 * sweep-change test and Irons-Tuck extrapolation run on the cpu between sweeps (gpu.js has no
 * reductions); columns are centred and scaled to unit rms in float64 first.
 */
export async function demeanGpujs(
  backend: GpujsBackend,
  inputs: KernelInputs<'Demean'>,
  attrs: KernelAttrs<'Demean'>,
): Promise<KernelOutput<'Demean'>> {
  const { x, feCodes, weights } = inputs;
  const n = x.rows;
  const cols = x.cols;
  assertGpujsIndexable('Demean', n);
  assertFitsBinding('gpujs Demean', n * cols, backend.bindingLimitBytes);
  const centred = new Float64Array(x.data);
  for (let j = 0; j < cols; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += centred[j * n + i]!;
    m /= Math.max(1, n);
    for (let i = 0; i < n; i++) centred[j * n + i]! -= m;
  }
  const cm = mat(n, cols, centred);
  const scales = columnScales(cm);
  const balanced = weights === undefined ? balancedTwoWay(feCodes, n) : undefined;
  const tol = Math.max(attrs.tol, GPUJS_DEMEAN_TOL_FLOOR);
  const w = weights ? Float32Array.from(weights) : new Float32Array(n).fill(1);
  const fes: FeKernels[] = [];
  try {
    for (const [q, codes] of feCodes.entries()) {
      const levels = levelCount(codes, `feCodes[${q}]`);
      const start = new Float32Array(levels + 1);
      const tot = new Float64Array(levels);
      for (let i = 0; i < n; i++) {
        start[codes[i]! + 1]!++;
        tot[codes[i]!]! += weights ? weights[i]! : 1;
      }
      let maxLen = 0;
      for (let g = 0; g < levels; g++) {
        maxLen = Math.max(maxLen, start[g + 1]!);
        start[g + 1]! += start[g]!;
      }
      const fill = Float32Array.from(start);
      const order = new Float32Array(n);
      for (let i = 0; i < n; i++) order[fill[codes[i]!]!++] = i;
      fes.push({
        levels,
        order,
        start,
        inv: Float32Array.from(tot, (t) => (t > 0 ? 1 / t : 0)),
        codes: Float32Array.from(codes),
        means: backend.compile(
          function (this: KernelThis, v: number[][], ord: number[], first: number[], wt: number[], inv: number[]) {
            const lo = first[this.thread.x]!;
            const len = first[this.thread.x + 1]! - lo;
            let s = 0;
            for (let p = 0; p < this.constants.maxLen; p++) {
              if (p < len) {
                const r = ord[lo + p]!;
                s += wt[r]! * v[this.thread.y]![r]!;
              }
            }
            return s * inv[this.thread.x]!;
          },
          { output: [levels, cols], constants: { maxLen: Math.max(1, maxLen) } },
        ),
        subtract: backend.compile(
          function (this: KernelThis, v: number[][], means: number[][], code: number[]) {
            return v[this.thread.y]![this.thread.x]! - means[this.thread.y]![code[this.thread.x]!]!;
          },
          { output: [n, cols] },
        ),
      });
    }
    /** One sweep in place; returns the largest mean removed. */
    const sweep = async (y: Float32Array): Promise<number> => {
      let change = 0;
      for (const fe of fes) {
        const meansOut = await fe.means.run(backend.input(y, [n, cols]), fe.order, fe.start, w, fe.inv);
        const means = rowsToColumnMajor(meansOut, fe.levels, cols, new Float32Array(fe.levels * cols));
        for (const m of means) change = Math.max(change, Math.abs(m));
        const next = await fe.subtract.run(backend.input(y, [n, cols]), backend.input(means, [fe.levels, cols]), fe.codes);
        rowsToColumnMajor(next, n, cols, y);
      }
      return change;
    };
    const accelerate = !balanced && (attrs.accel ?? 'irons-tuck') === 'irons-tuck';
    let cur = scaledFloat32(cm, scales);
    let iterations = 0;
    let converged = false;
    const maxIter = balanced ? 1 : attrs.maxIter;
    while (iterations < maxIter) {
      const gx = Float32Array.from(cur);
      iterations++;
      const c1 = await sweep(gx);
      if (balanced || c1 <= tol) {
        cur = gx;
        converged = true;
        break;
      }
      if (!accelerate || iterations >= maxIter) {
        cur = gx;
        continue;
      }
      const ggx = Float32Array.from(gx);
      iterations++;
      if ((await sweep(ggx)) <= tol) {
        cur = ggx;
        converged = true;
        break;
      }
      // Irons-Tuck extrapolation per column (float64 accumulation), as on the cpu backend.
      for (let j = 0; j < cols; j++) {
        let num = 0;
        let den = 0;
        for (let i = j * n; i < (j + 1) * n; i++) {
          const dG = ggx[i]! - gx[i]!;
          const d2 = dG - gx[i]! + cur[i]!;
          num += dG * d2;
          den += d2 * d2;
        }
        const coef = den > 0 ? num / den : 0;
        for (let i = j * n; i < (j + 1) * n; i++) cur[i] = ggx[i]! - coef * (ggx[i]! - gx[i]!);
      }
    }
    const out = new Float64Array(n * cols);
    for (let j = 0; j < cols; j++) for (let i = 0; i < n; i++) out[j * n + i] = cur[j * n + i]! * scales[j]!;
    return Object.freeze({
      x: mat(n, cols, out),
      converged,
      iterations,
      method: balanced ? ('balanced-closed-form' as const) : ('alternating-projections' as const),
    });
  } finally {
    for (const fe of fes) {
      await fe.means.destroy();
      await fe.subtract.destroy();
    }
  }
}
