import { describe, expect, it } from 'vitest';
import { ComputeConfig, KernelRegistry, createComputeContext, mat } from '@panel-lab/compute';
import { registerCpuBackend } from '@panel-lab/compute-cpu';
import { registerTfjsBackend } from '@panel-lab/compute-tfjs';
import { multiplierBootstrap, placeboTest } from '../src/index.js';
import { makePanel } from './dgp.js';

// tfjs on its wasm device (float32): the kernel path must agree with the float64 engine within
// float32 error, and the result must say which backend ran.
describe('tfjs wasm backend (float32)', () => {
  it('placebo kernel path matches the float64 tables path; estimate stays float64', async () => {
    const registry = registerTfjsBackend(registerCpuBackend(new KernelRegistry()));
    const ctx = await createComputeContext(new ComputeConfig({ backend: 'tfjs', device: 'wasm' }), registry);
    const frame = makePanel({ seed: 12, units: 100 });
    const opts = { outcome: 'y', cohort: 'cohort', controls: ['x1', 'x2', 'x3'], seed: 5, draws: 200, chunkSize: 100 } as const;
    const ref = await placeboTest(frame, opts);
    const f32 = await placeboTest(frame, { ...opts, compute: ctx });
    expect(f32.meta.backend).toBe('tfjs');
    expect(f32.meta.device).toBe('wasm');
    expect(f32.meta.precision).toBe(32);
    expect(f32.meta.path).toBe('kernel');
    expect(f32.estimate).toEqual(ref.estimate);
    const sd = ref.summary.sd;
    ref.draws.beta.forEach((b, k) => expect(Math.abs(b! - f32.draws.beta[k]!)).toBeLessThan(1e-4 * sd));
    const inf = mat(50, 2, Float64Array.from({ length: 100 }, (_, i) => Math.sin(i * 1.7)));
    const m = await multiplierBootstrap(inf, { seed: 3, draws: 200, compute: ctx });
    expect(m.meta.backend).toBe('tfjs');
    await ctx.dispose();
  });
});
