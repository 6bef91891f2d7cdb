import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KERNEL_NAMES,
  ComputeConfig,
  createComputeContext,
  type ComputeContext,
  type KernelName,
  type KernelRegistry,
  type Mat,
} from '@panel-lab/compute';
import { loadGolden, maxAbsDiff, tolerance } from '@panel-lab/testing';
import { conformanceCases, type KernelCase } from './cases.js';
import { twfeMpdtaViaKernels } from './twfe.js';

export interface ConformanceOptions {
  /** Suite title, e.g. 'tfjs:webgpu'. */
  readonly title: string;
  /** A fresh registry holding the cpu reference backend and the backend under test. */
  readonly makeRegistry: () => KernelRegistry;
  /** Selects the backend under test; allowFallback should be false so the device is really exercised. */
  readonly config: ComputeConfig;
  /** Asserted against meta.device after init (e.g. 'webgpu'), so a silent downgrade fails. */
  readonly expectDevice?: string;
  /** Kernels this backend does not implement, each with the reason (tfjs setup_test.ts TEST_FILTERS). */
  readonly exclude?: Partial<Record<KernelName, string>>;
  /** Extra check after each kernel that it really ran where claimed (e.g. gpu.js kernel mode). */
  readonly assertRanOnDevice?: (ctx: ComputeContext) => void;
  /** Skip the whole suite with this reason (e.g. no WebGPU adapter and REQUIRE_WEBGPU unset). */
  readonly skipReason?: string;
}

/** Error of a result relative to the reference's largest magnitude. */
function scaledError(actual: Mat, expected: Mat): number {
  let scale = 0;
  for (const v of expected.data) scale = Math.max(scale, Math.abs(v));
  return maxAbsDiff(actual.data, expected.data) / Math.max(scale, 1e-300);
}

function resultMat(kernel: KernelName, out: unknown): Mat {
  return kernel === 'Demean' ? (out as { x: Mat }).x : (out as Mat);
}

/**
 * The kernel conformance suite (CONVENTIONS.md D.4), written once: every case of every kernel on the
 * backend under test against the float64 cpu reference, tolerance from the ladder by the backend's
 * floatPrecision, a leak check around every kernel, and meta checks that the asked backend really ran.
 */
export function describeKernelConformance(options: ConformanceOptions): void {
  const { title, exclude = {} } = options;
  if (options.skipReason) console.warn(`conformance '${title}' skipped: ${options.skipReason}`);
  describe.skipIf(options.skipReason !== undefined)(`kernel conformance: ${title}`, () => {
    let ctx: ComputeContext;
    let ref: ComputeContext;
    beforeAll(async () => {
      const registry = options.makeRegistry();
      ctx = await createComputeContext(options.config, registry);
      ref = await createComputeContext(new ComputeConfig({ backend: 'cpu' }), registry);
    });
    afterAll(async () => {
      await ctx?.dispose();
      await ref?.dispose();
    });

    it('runs on the backend and device asked for, with no fallback', () => {
      expect(ctx.meta.backend).toBe(options.config.backend);
      if (options.expectDevice) expect(ctx.meta.device).toBe(options.expectDevice);
      expect(ctx.meta.fallbacks).toEqual([]);
      if (ctx.meta.device === 'webgpu') expect(ctx.meta.adapter?.vendor).toBeTruthy();
    });

    it('implements every kernel not excluded with a reason', () => {
      const registry = options.makeRegistry();
      for (const k of KERNEL_NAMES) {
        if (exclude[k]) expect(registry.has(k, options.config.backend), `${k} is excluded but registered`).toBe(false);
        else expect(registry.has(k, options.config.backend), `${k} missing`).toBe(true);
      }
    });

    for (const c of conformanceCases() as KernelCase[]) {
      const reason = exclude[c.kernel];
      if (reason) {
        it.skip(`${c.kernel}: ${c.name} (excluded: ${reason})`, () => {});
        continue;
      }
      it(`${c.kernel}: ${c.name} matches the float64 reference, no leak`, async () => {
        const before = ctx.backend.liveBuffers();
        const out = await ctx.run(c.kernel, c.inputs, c.attrs);
        expect(ctx.backend.liveBuffers(), 'live buffers after the kernel').toBe(before);
        options.assertRanOnDevice?.(ctx);
        const expected = await ref.run(c.kernel, c.inputs, c.attrs);
        const actual = resultMat(c.kernel, out);
        const want = resultMat(c.kernel, expected);
        expect([actual.rows, actual.cols]).toEqual([want.rows, want.cols]);
        expect(actual.data).toBeInstanceOf(Float64Array);
        const quantity = c.kernel === 'Demean' ? 'demean' : 'residuals';
        // Gather copies values: exact up to the float32 rounding of the input on f32 backends.
        const tol = c.kernel === 'Gather' ? (ctx.backend.floatPrecision === 32 ? 2 ** -23 : 0) : tolerance(quantity, ctx.backend.floatPrecision);
        expect(scaledError(actual, want)).toBeLessThanOrEqual(tol);
        if (c.kernel === 'Demean') expect((out as { converged: boolean }).converged).toBe(true);
      });
    }

    const twfeReason = exclude.Demean ?? exclude.CrossProd ?? exclude.SegmentSum;
    (twfeReason ? it.skip : it)('mpdta TWFE through kernels matches R fixest (coef and CR0 SE)', async () => {
      const golden = loadGolden<{ twfe: { coef: number; se: { cluster_no_ssc: number } } }>('fixest_mpdta').twfe;
      const before = ctx.backend.liveBuffers();
      const got = await twfeMpdtaViaKernels(ctx);
      expect(ctx.backend.liveBuffers()).toBe(before);
      const p = ctx.backend.floatPrecision;
      expect(Math.abs(got.coef - golden.coef) / Math.abs(golden.coef)).toBeLessThanOrEqual(p === 64 ? tolerance('coef', 64) : 1e-3);
      expect(Math.abs(got.seNoSsc - golden.se.cluster_no_ssc) / golden.se.cluster_no_ssc).toBeLessThanOrEqual(
        p === 64 ? tolerance('se', 64) : 1e-3,
      );
    });
  });
}
