// Multiplier bootstrap at the issue-21 size: influence functions of 1,000,000 units x 50 cells, 10,000 Rademacher
// draws (each unit its own cluster), on the cpu backend (f64) and on WebGPU (tfjs, gpu.js). Draws run in chunks until
// done or the step's time share is spent (throughput and the full-size time then extrapolated, labelled). moderndid's
// CuPy anchor: 1M units, 500 draws, 1.31 s on an H100.
import { createRng, mat, type ComputeContext, type Mat } from '@panel-lab/compute';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';
import { scaledError } from '../gpu/errors.js';
import { achieved, caseDeadline, chunkedFacts, gpuSize, runChunked } from '../gpu/step-budget.js';
import { adapterFacts, context, label, ranOn, targets } from '../gpu/targets.js';

const SIZES = {
  h200: { units: 1_000_000, cells: 50, draws: 10_000, chunk: 500 },
  rehearse: { units: 20_000, cells: 10, draws: 400, chunk: 100 },
} as const;

export const suite: BenchSuite = {
  name: 'gpu-multiplier',
  description:
    'Multiplier bootstrap (MultiplierBootstrap kernel: theta*_b = V_b\'S / n, Rademacher weights drawn on the cpu from seeded streams) of an n x k influence-function matrix, each unit its own cluster; cpu f64 vs tfjs:webgpu vs gpujs:webgpu in the same run. Draws in chunks until done or the time share is spent (full_size_s extrapolated when complete is false). error_vs_cpu_f64: 16 draws compared with the cpu backend.',
  repeat: { warmup: 0, runs: 1 },
  cases(scale: Scale): BenchCase[] {
    const size = gpuSize(scale);
    if (!size) return [];
    const s = SIZES[size];
    let inf: Mat | undefined;
    const data = () => {
      if (!inf) {
        const rng = createRng(3);
        inf = mat(s.units, s.cells, Float64Array.from({ length: s.units * s.cells }, () => rng.normal()));
      }
      return inf;
    };
    const all = targets();
    return all.map((t, k) => {
      const c: BenchCase = {
        name: `multiplier bootstrap, IF ${s.units} x ${s.cells}, ${s.draws} draws [${label(t)}]`,
        params: { units: s.units, cells: s.cells, draws: s.draws, chunk: s.chunk, requested: label(t) },
        setup: async () => {
          const ctx = await context(t);
          c.backend = ranOn(ctx);
          const check = { draws: 16, seed: 9, weights: 'rademacher' as const, chunkSize: 16 };
          // Also the warm-up: compiles the shaders of this shape before the timing.
          const got = await ctx.run('MultiplierBootstrap', { inf: data() }, check);
          const error = t.backend === 'cpu' ? 0 : scaledError(got.data, (await (await context({ backend: 'cpu' })).run('MultiplierBootstrap', { inf: data() }, check)).data);
          return { ctx, error };
        },
        run: async (prepared) => {
          const { ctx, error } = prepared as { ctx: ComputeContext; error: number };
          const deadline = caseDeadline(all.length - k);
          let sum = 0;
          const r = await runChunked(s.draws, s.chunk, deadline, async (first, count) => {
            const out = await ctx.run('MultiplierBootstrap', { inf: data() }, { draws: count, seed: 1, weights: 'rademacher', chunkSize: s.chunk, firstDraw: first });
            sum += out.data[0]!;
          });
          const flops = 2 * r.done * s.units * s.cells;
          const bytes = 4 * r.done * s.units + 4 * s.units * s.cells * Math.ceil(r.done / s.chunk);
          return {
            requested_backend: label(t),
            precision: ctx.meta.precision,
            ...adapterFacts(ctx),
            ...chunkedFacts(r, 'draws'),
            error_vs_cpu_f64: error,
            checksum_first_cell: sum,
            ...achieved(bytes, flops, r.seconds),
            note: `${r.done} of ${s.draws} draws in ${r.seconds.toFixed(2)} s (${(r.done / r.seconds).toFixed(0)} draws/s)${r.complete ? '' : `; full size EXTRAPOLATED ${(s.draws / (r.done / r.seconds)).toFixed(1)} s`}; error vs cpu f64 ${error.toExponential(2)}`,
          };
        },
      };
      return c;
    });
  },
};
