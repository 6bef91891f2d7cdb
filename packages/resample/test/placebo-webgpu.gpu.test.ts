import { describe, expect, it } from 'vitest';
import { ComputeConfig, KernelRegistry, createComputeContext, hasWebGpu, webGpuRequired } from '@panel-lab/compute';
import { registerCpuBackend } from '@panel-lab/compute-cpu';
import { registerTfjsBackend } from '@panel-lab/compute-tfjs';
import { placeboTest } from '../src/index.js';
import { makePanel } from './dgp.js';

// The placebo kernel path on tfjs webgpu at a tiny size (lavapipe on CPU-only machines). Skipped,
// with this reason, where no WebGPU adapter exists; REQUIRE_WEBGPU=1 (CI) makes a missing adapter fail.
const available = await hasWebGpu();
const skip = !available && !webGpuRequired();
if (skip) console.warn('placebo-webgpu: skipped, no WebGPU adapter here (set REQUIRE_WEBGPU=1 to fail instead)');

describe.skipIf(skip)('placebo kernel path on tfjs webgpu (float32)', () => {
  it('matches the float64 tables path and records the webgpu device', async () => {
    const registry = registerTfjsBackend(registerCpuBackend(new KernelRegistry()));
    const ctx = await createComputeContext(new ComputeConfig({ backend: 'tfjs', device: 'webgpu' }), registry);
    const frame = makePanel({ seed: 13, units: 60 });
    const opts = { outcome: 'y', cohort: 'cohort', controls: ['x1', 'x2'], seed: 2, draws: 40, se: false } as const;
    const ref = await placeboTest(frame, opts);
    const gpu = await placeboTest(frame, { ...opts, compute: ctx });
    expect(gpu.meta.device).toBe('webgpu');
    expect(gpu.meta.path).toBe('kernel');
    ref.draws.beta.forEach((b, k) => expect(Math.abs(b! - gpu.draws.beta[k]!)).toBeLessThan(1e-4 * ref.summary.sd));
    await ctx.dispose();
  });
});
