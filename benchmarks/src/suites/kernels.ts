// Compute kernels on every backend that starts here (issue 5): the batched building blocks of the
// placebo, bootstrap and FE paths. float32 backends get the same inputs as the float64 cpu
// reference; each case records the backend and device that really ran and its error vs cpu.
import {
  ComputeConfig,
  KernelRegistry,
  createComputeContext,
  createRng,
  ensureWebGpu,
  mat,
  type ComputeContext,
  type KernelAttrs,
  type KernelInputs,
  type KernelName,
  type Mat,
} from '@panel-lab/compute';
import { registerCpuBackend } from '@panel-lab/compute-cpu';
import { registerGpujsBackend } from '@panel-lab/compute-gpujs';
import { registerTfjsBackend } from '@panel-lab/compute-tfjs';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';
import { mulAddJs, mulAddWasm, streamCopy, streamTriad, type Work } from '../roofline/peaks.js';

// Probed once at load (top-level await): webgpu rows exist only where an adapter answers.
const webgpu = await ensureWebGpu();

const SIZES: Record<Scale, { units: number; periods: number; columns: number; placebos: number; draws: number }> = {
  quick: { units: 1_000, periods: 20, columns: 50, placebos: 500, draws: 999 },
  seed: { units: 286, periods: 9, columns: 100, placebos: 1000, draws: 999 },
  large: { units: 100_000, periods: 20, columns: 20, placebos: 50, draws: 999 },
};

const TARGETS = [
  { backend: 'cpu' },
  { backend: 'tfjs', device: 'wasm' },
  { backend: 'tfjs', device: 'webgpu' },
  { backend: 'gpujs', device: 'webasm' },
  { backend: 'gpujs', device: 'webgpu' },
] as const;

interface Workload<K extends KernelName = KernelName> {
  kernel: K;
  label: string;
  inputs: KernelInputs<K>;
  attrs: KernelAttrs<K>;
  /** The work of one call (a model: the bytes it must move, the flops of the dense product), for the roofline column. */
  work: (out: unknown) => Work;
  /** Which peak the kernel is held against. */
  bound: 'memory' | 'compute';
}

function randomMat(rng: ReturnType<typeof createRng>, rows: number, cols: number): Mat {
  return mat(rows, cols, Float64Array.from({ length: rows * cols }, () => rng.normal()));
}

function workloads(scale: Scale): Workload[] {
  const { units, periods, columns, placebos, draws } = SIZES[scale];
  const rng = createRng(20261123);
  const n = units * periods;
  const unit = Int32Array.from({ length: n }, (_, i) => Math.floor(i / periods));
  const time = Int32Array.from({ length: n }, (_, i) => i % periods);
  const keep = Int32Array.from({ length: n }, (_, i) => i).filter(() => rng.uniform() >= 0.1);
  const x = randomMat(rng, n, columns);
  const xu = mat(keep.length, columns, new Float64Array(keep.length * columns));
  for (let j = 0; j < columns; j++) for (let r = 0; r < keep.length; r++) xu.data[j * keep.length + r] = x.data[j * n + keep[r]!]!;
  const y = randomMat(rng, n, 1);
  const placebo = randomMat(rng, n, placebos);
  const scores = randomMat(rng, n, 10);
  const inf = randomMat(rng, units, 20);
  const resample = Int32Array.from({ length: n }, () => rng.int(0, n - 1));
  const tol = { tol: 1e-8, maxIter: 10_000 };
  const b = 8; // bytes a float64
  const iterations = (out: unknown) => ((out as { iterations?: number }).iterations ?? 1);
  const group = Math.ceil(units / 8);
  return [
    // Demean: per sweep, FE dimension and column, a pass for the means (read x, code) and one to subtract (read x, code; write x)
    { kernel: 'Demean', label: `balanced ${units}x${periods}, ${columns} columns`, inputs: { x, feCodes: [unit, time] }, attrs: tol, bound: 'memory', work: (o: unknown) => ({ bytes: iterations(o) * 2 * n * columns * 32 }) },
    {
      kernel: 'Demean',
      label: `unbalanced (10% dropped), ${columns} columns`,
      inputs: { x: xu, feCodes: [Int32Array.from(keep, (i) => unit[i]!), Int32Array.from(keep, (i) => time[i]!)] },
      attrs: tol,
      bound: 'memory',
      work: (o: unknown) => ({ bytes: iterations(o) * 2 * keep.length * columns * 32 }),
    },
    { kernel: 'CrossProd', label: `y'B, ${placebos} placebo columns`, inputs: { a: y, b: placebo }, attrs: {}, bound: 'memory', work: () => ({ bytes: b * n * (placebos + 1), flops: 2 * n * placebos }) },
    { kernel: 'SegmentSum', label: `10 score columns by ${units} clusters`, inputs: { x: scores, segments: unit, nSegments: units }, attrs: {}, bound: 'memory', work: () => ({ bytes: n * (10 * b + 4) }) },
    // the dense product it replaces: 2 flops a weight and column (the table kernel does ~8x fewer additions)
    { kernel: 'MultiplierBootstrap', label: `${draws} Rademacher draws, ${units} x 20 IF`, inputs: { inf }, attrs: { draws, seed: 1, weights: 'rademacher' }, bound: 'compute', work: () => ({ flops: 2 * units * 20 * draws }) },
    { kernel: 'Gather', label: `bootstrap resample of ${n} rows x ${columns}`, inputs: { x, index: resample }, attrs: {}, bound: 'memory', work: () => ({ bytes: n * (columns * 2 * b + 4) }) },
    // placebo draws: one group of (units / 8) treated records per draw, as the placebo kernel path sends
    { kernel: 'GatherSum', label: `${placebos} draws x ${group} records of ${n} x ${columns}`, inputs: { x, index: Int32Array.from({ length: placebos * group }, () => rng.int(0, n - 1)), groupSize: group }, attrs: {}, bound: 'memory', work: () => ({ bytes: placebos * group * (columns * b + 4) }) },
  ] as Workload[];
}

/** Values in the largest matrix a kernel uploads. */
function largestInput(w: Workload): number {
  const i = w.inputs as { x?: Mat; a?: Mat; b?: Mat; inf?: Mat };
  return Math.max(i.x?.data.length ?? 0, i.a?.data.length ?? 0, i.b?.data.length ?? 0, i.inf?.data.length ?? 0);
}

function outMat(out: unknown): Mat {
  return (out as { x?: Mat }).x ?? (out as Mat);
}

function scaledError(a: Mat, b: Mat): number {
  let scale = 0;
  let worst = 0;
  for (let k = 0; k < b.data.length; k++) {
    scale = Math.max(scale, Math.abs(b.data[k]!));
    worst = Math.max(worst, Math.abs(a.data[k]! - b.data[k]!));
  }
  return worst / Math.max(scale, 1e-300);
}

/**
 * The machine's peaks, one thread, measured as our cpu kernels run: STREAM copy and triad over
 * Float64Arrays in JavaScript (2^24 doubles an array, 128 MiB, far past the caches; 2^22 at quick scale),
 * and a dense multiply-add loop in JavaScript (scalar) and in WebAssembly SIMD (f64x2).
 */
function peakCases(scale: Scale): BenchCase[] {
  const len = scale === 'quick' ? 2 ** 22 : 2 ** 24;
  const arrays = () => ({ a: new Float64Array(len), b: new Float64Array(len).fill(1), c: new Float64Array(len).fill(2) });
  const reps = 2 ** 24;
  return [
    { name: `peak: STREAM copy, JavaScript Float64Array, ${len} doubles`, params: { peak: 'copy', doubles: len, impl: 'js' }, setup: arrays, run: (p) => ({ peak: 'copy', work: streamCopy((p as ReturnType<typeof arrays>).a, (p as ReturnType<typeof arrays>).b) }) },
    {
      name: `peak: STREAM triad, JavaScript Float64Array, ${len} doubles`,
      params: { peak: 'triad', doubles: len, impl: 'js' },
      setup: arrays,
      run: (p) => {
        const { a, b, c } = p as ReturnType<typeof arrays>;
        return { peak: 'triad', work: streamTriad(a, b, c, 3) };
      },
    },
    { name: `peak: multiply-add, JavaScript scalar, 8 accumulators x ${reps}`, params: { peak: 'mul-add js', reps, impl: 'js' }, run: () => ({ peak: 'mul-add js', work: mulAddJs(reps, 0.9999999, 1e-7).work }) },
    {
      name: `peak: multiply-add, WebAssembly SIMD f64x2, 8 accumulators x ${reps}`,
      params: { peak: 'mul-add wasm-simd', reps, impl: 'wasm-simd' },
      setup: () => mulAddWasm(),
      run: (p) => ({ peak: 'mul-add wasm-simd', work: (p as Awaited<ReturnType<typeof mulAddWasm>>)(reps, 0.9999999, 1e-7).work }),
    },
  ];
}

export const suite: BenchSuite = {
  name: 'kernels',
  description:
    'Compute kernels (Demean, CrossProd, SegmentSum, MultiplierBootstrap, Gather, GatherSum) on cpu f64, tfjs (wasm, webgpu) and gpu.js (webasm, webgpu); webgpu rows only where an adapter exists and every buffer fits its binding limit (lavapipe on CPU machines: correctness, not speed). gpu.js timings include kernel compilation (compiled per call). ' +
    'Roofline: the machine peaks are measured first, one thread, as our cpu kernels run (STREAM copy and triad in JavaScript over 128 MiB Float64Arrays; a multiply-add loop in JavaScript scalar and in WebAssembly SIMD f64x2); ' +
    'each kernel shows its achieved GB/s (memory-bound: a model of the bytes it must move) or GFLOP/s (MultiplierBootstrap: the dense product it replaces, 2 flops a weight and column) against them; inputs that fit in the caches can pass the STREAM peak.',
  cases(scale: Scale): BenchCase[] {
    const work = workloads(scale);
    const registry = registerGpujsBackend(registerTfjsBackend(registerCpuBackend(new KernelRegistry())));
    const cases: BenchCase[] = peakCases(scale);
    for (const target of TARGETS) {
      for (const w of work) {
        if ('device' in target && target.device === 'webgpu' && !webgpu.available) continue;
        // One f32 buffer over the adapter's binding limit (128 MiB on lavapipe) cannot run there.
        if ('device' in target && target.device === 'webgpu' && largestInput(w) * 4 > (webgpu.maxStorageBufferBindingSize ?? Infinity)) continue;
        const requested = 'device' in target ? `${target.backend}:${target.device}` : target.backend;
        const benchCase: BenchCase = {
          name: `${w.kernel} ${w.label} [${requested}]`,
          params: { kernel: w.kernel, requested, ...SIZES[scale] },
          setup: async () => {
            const ctx = await createComputeContext(new ComputeConfig({ ...target, allowFallback: false }), registry);
            benchCase.backend = ctx.meta.device === ctx.meta.backend ? ctx.meta.backend : `${ctx.meta.backend}:${ctx.meta.device}`;
            let error: number | null = null;
            if (target.backend !== 'cpu') {
              const ref = await createComputeContext(new ComputeConfig({ backend: 'cpu' }), registry);
              const [got, want] = [await ctx.run(w.kernel, w.inputs, w.attrs), await ref.run(w.kernel, w.inputs, w.attrs)];
              error = scaledError(outMat(got), outMat(want));
            }
            return { ctx, error };
          },
          run: async (prepared) => {
            const { ctx, error } = prepared as { ctx: ComputeContext; error: number | null };
            const before = ctx.backend.liveBuffers();
            const out = await ctx.run(w.kernel, w.inputs, w.attrs);
            return {
              requested_backend: requested,
              precision: ctx.meta.precision,
              scaled_max_error_vs_cpu_f64: error,
              leaked_buffers: ctx.backend.liveBuffers() - before,
              ...(ctx.meta.adapter ? { adapter: ctx.meta.adapter.description } : {}),
              ...('iterations' in (out as object) ? { iterations: (out as { iterations: number }).iterations } : {}),
              work: w.work(out),
              bound: w.bound,
              // the cpu backend's MultiplierBootstrap runs in WebAssembly SIMD; its other kernels in JavaScript
              impl: target.backend === 'cpu' ? (w.kernel === 'MultiplierBootstrap' ? 'wasm-simd' : 'js') : requested,
              ...(w.kernel === 'MultiplierBootstrap' ? { effective_flops: true } : {}),
            };
          },
        };
        cases.push(benchCase);
      }
    }
    return cases;
  },
};
