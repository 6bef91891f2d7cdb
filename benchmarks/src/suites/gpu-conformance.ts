// The kernel conformance suite on this machine's adapter, outside vitest (the GPU bundle has no test runner): every
// conformance case of every kernel on tfjs (wasm, webgpu) and gpu.js (webasm, webgpu) against the float64 cpu
// reference, with the tolerance ladder of @panel-lab/testing, a leak check, the mpdta TWFE against R fixest, and
// f32 accumulation at 10^7 rows (2^20 in the rehearsal). A failed case fails the report (ratio floor 1).
import { ComputeConfig, createComputeContext, type ComputeContext, type KernelName, type Mat } from '@panel-lab/compute';
import { accumulationCases, conformanceCases, type KernelCase } from '@panel-lab/compute-conformance/cases';
import { twfeMpdtaViaKernels } from '@panel-lab/compute-conformance/twfe';
import { loadGolden, tolerance } from '@panel-lab/testing';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';
import { scaledError } from '../gpu/errors.js';
import { gpuSize } from '../gpu/step-budget.js';
import { adapterFacts, context, label, ranOn, registry, webgpu, type Target } from '../gpu/targets.js';

// tfjs has one engine per process: its wasm rows before its webgpu rows.
const BACKENDS: readonly Target[] = [
  { backend: 'tfjs', device: 'wasm' },
  { backend: 'gpujs', device: 'webasm' },
  { backend: 'tfjs', device: 'webgpu' },
  { backend: 'gpujs', device: 'webgpu' },
];

const resultMat = (kernel: KernelName, out: unknown): Mat => (kernel === 'Demean' ? (out as { x: Mat }).x : (out as Mat));

interface CaseOutcome {
  case: string;
  scaled_error: number | null;
  tolerance: number;
  pass: boolean;
  leaked_buffers: number;
  seconds: number;
  error?: string;
}

async function runCase(ctx: ComputeContext, ref: ComputeContext, c: KernelCase): Promise<CaseOutcome> {
  const name = `${c.kernel}: ${c.name}`;
  const f32 = ctx.backend.floatPrecision === 32;
  const tol = c.kernel === 'Gather' ? (f32 ? 2 ** -23 : 0) : tolerance(c.kernel === 'Demean' ? 'demean' : 'residuals', ctx.backend.floatPrecision);
  const before = ctx.backend.liveBuffers();
  const t0 = performance.now();
  try {
    const out = await ctx.run(c.kernel, c.inputs, c.attrs);
    const seconds = (performance.now() - t0) / 1000;
    const leaked = ctx.backend.liveBuffers() - before;
    const want = resultMat(c.kernel, await ref.run(c.kernel, c.inputs, c.attrs));
    const err = scaledError(resultMat(c.kernel, out).data, want.data);
    const converged = c.kernel !== 'Demean' || (out as { converged: boolean }).converged;
    return { case: name, scaled_error: err, tolerance: tol, pass: err <= tol && leaked === 0 && converged, leaked_buffers: leaked, seconds };
  } catch (e) {
    return { case: name, scaled_error: null, tolerance: tol, pass: false, leaked_buffers: ctx.backend.liveBuffers() - before, seconds: (performance.now() - t0) / 1000, error: e instanceof Error ? e.message : String(e) };
  }
}

async function mpdtaCase(ctx: ComputeContext): Promise<CaseOutcome> {
  const golden = loadGolden<{ twfe: { coef: number; se: { cluster_no_ssc: number } } }>('fixest_mpdta').twfe;
  const t0 = performance.now();
  try {
    const got = await twfeMpdtaViaKernels(ctx);
    const err = Math.max(Math.abs(got.coef - golden.coef) / Math.abs(golden.coef), Math.abs(got.seNoSsc - golden.se.cluster_no_ssc) / golden.se.cluster_no_ssc);
    return { case: 'mpdta TWFE through kernels vs R fixest (coef, CR0 SE)', scaled_error: err, tolerance: 1e-3, pass: err <= 1e-3, leaked_buffers: 0, seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    return { case: 'mpdta TWFE through kernels vs R fixest', scaled_error: null, tolerance: 1e-3, pass: false, leaked_buffers: 0, seconds: 0, error: e instanceof Error ? e.message : String(e) };
  }
}

export const suite: BenchSuite = {
  name: 'gpu-conformance',
  description:
    'Kernel conformance on this machine: every conformance case (compute-conformance) on tfjs wasm/webgpu and gpu.js webasm/webgpu against the float64 cpu reference, tolerance ladder by precision, leak check, mpdta TWFE vs R fixest, f32 accumulation cases at 10^7 rows (large) or 2^20 (seed, the rehearsal). extra.cases lists each case; ratio conformance_passed must be 1.',
  repeat: { warmup: 0, runs: 1 },
  cases(scale: Scale): BenchCase[] {
    const size = gpuSize(scale);
    if (!size) return [];
    const rows = size === 'h200' ? 10_000_000 : 2 ** 20;
    return BACKENDS.filter((t) => t.device !== 'webgpu' || webgpu.available).map((t) => {
      const c: BenchCase = {
        name: `conformance [${label(t)}]`,
        params: { requested: label(t), accumulation_rows: rows },
        setup: async () => {
          const ctx = await context(t);
          c.backend = ranOn(ctx);
          return ctx;
        },
        run: async (prepared) => {
          const ctx = prepared as ComputeContext;
          const ref = await createComputeContext(new ComputeConfig({ backend: 'cpu' }), registry);
          const outcomes: CaseOutcome[] = [];
          for (const kc of [...conformanceCases(), ...accumulationCases(rows)]) outcomes.push(await runCase(ctx, ref, kc));
          outcomes.push(await mpdtaCase(ctx));
          const passed = outcomes.filter((o) => o.pass).length;
          const failed = outcomes.filter((o) => !o.pass).map((o) => `${o.case}: ${o.error ?? `error ${o.scaled_error} > ${o.tolerance}`}`);
          return {
            requested_backend: label(t),
            precision: ctx.meta.precision,
            ...adapterFacts(ctx),
            passed,
            total: outcomes.length,
            cases: outcomes,
            ratios: { conformance_passed: { value: passed / outcomes.length, floor: 1, description: 'share of conformance cases within tolerance, no leak' } },
            note: failed.length ? `FAILED: ${failed.join('; ')}` : `${passed}/${outcomes.length} cases within tolerance`,
          };
        },
      };
      return c;
    });
  },
};
