// FE demeaning at 10M rows (issue 21): the within transform by unit and time FEs of an unbalanced panel (10% of
// rows dropped, so alternating projections iterate) on the cpu backend (f64) and on WebGPU (f32), with the f32
// result's error against the f64 one in the same run.
import { createRng, mat, type ComputeContext, type KernelInputs, type Mat } from '@panel-lab/compute';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';
import { relativeRms, scaledError } from '../gpu/errors.js';
import { achieved, gpuSize } from '../gpu/step-budget.js';
import { adapterFacts, context, label, ranOn, targets } from '../gpu/targets.js';

const SIZES = {
  h200: { units: 555_556, periods: 20, columns: 2 },
  rehearse: { units: 20_000, periods: 20, columns: 2 },
} as const;
const ATTRS = { tol: 1e-8, maxIter: 10_000 } as const;

function panel(units: number, periods: number, columns: number): KernelInputs<'Demean'> {
  const rng = createRng(20261123);
  const unit: number[] = [];
  const time: number[] = [];
  for (let u = 0; u < units; u++) for (let t = 0; t < periods; t++) if (rng.uniform() >= 0.1) {
    unit.push(u);
    time.push(t);
  }
  const n = unit.length;
  const fe = Float64Array.from({ length: units }, () => rng.normal());
  const x = new Float64Array(n * columns);
  // Levels far from zero on purpose (a unit effect plus 100): f32 kernels must centre before summing.
  for (let j = 0; j < columns; j++) for (let i = 0; i < n; i++) x[j * n + i] = 100 + fe[unit[i]!]! + 0.05 * time[i]! + rng.normal();
  return { x: mat(n, columns, x), feCodes: [Int32Array.from(unit), Int32Array.from(time)] };
}

export const suite: BenchSuite = {
  name: 'gpu-demean',
  description:
    'Within transform by unit and time FEs of an unbalanced panel (10% rows dropped; 10M rows at large), Demean kernel with tol 1e-8 (f32 floor 1e-5), cpu f64 vs tfjs:webgpu vs gpujs:webgpu in the same run; error_vs_cpu_f64 (max over the largest value) and rms_error_vs_cpu_f64 of the demeaned columns.',
  repeat: { warmup: 0, runs: 1 },
  cases(scale: Scale): BenchCase[] {
    const size = gpuSize(scale);
    if (!size) return [];
    const s = SIZES[size];
    let inputs: KernelInputs<'Demean'> | undefined;
    let reference: Mat | undefined;
    const data = () => (inputs ??= panel(s.units, s.periods, s.columns));
    return targets().map((t) => {
      const c: BenchCase = {
        name: `Demean unit + time FE, ${s.units} x ${s.periods} less 10%, ${s.columns} columns [${label(t)}]`,
        params: { units: s.units, periods: s.periods, columns: s.columns, requested: label(t) },
        setup: async () => {
          const ctx = await context(t);
          c.backend = ranOn(ctx);
          // Warm-up (shader compilation) on a small panel of the same kind.
          await ctx.run('Demean', panel(200, s.periods, s.columns), ATTRS);
          return ctx;
        },
        run: async (prepared) => {
          const ctx = prepared as ComputeContext;
          const t0 = performance.now();
          const out = await ctx.run('Demean', data(), ATTRS);
          const seconds = (performance.now() - t0) / 1000;
          if (t.backend === 'cpu') reference = out.x;
          reference ??= (await (await context({ backend: 'cpu' })).run('Demean', data(), ATTRS)).x;
          const n = data().x.rows;
          // Per sweep and FE: read x, gather the means, write x (3 passes of 4 bytes per value on f32).
          const bytes = out.iterations * 2 * 3 * 4 * n * s.columns;
          return {
            requested_backend: label(t),
            precision: ctx.meta.precision,
            ...adapterFacts(ctx),
            rows: n,
            iterations: out.iterations,
            converged: out.converged,
            method: out.method,
            error_vs_cpu_f64: scaledError(out.x.data, reference.data),
            rms_error_vs_cpu_f64: relativeRms(out.x.data, reference.data),
            ...achieved(bytes, 0, seconds),
            note: `${n} rows, ${out.iterations} sweeps in ${seconds.toFixed(2)} s; error vs cpu f64 ${scaledError(out.x.data, reference.data).toExponential(2)} (max), ${relativeRms(out.x.data, reference.data).toExponential(2)} (rms)`,
          };
        },
      };
      return c;
    });
  },
};
