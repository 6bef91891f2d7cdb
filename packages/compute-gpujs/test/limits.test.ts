import { describe, expect, it } from 'vitest';
import { ComputeConfig, KernelRegistry, createComputeContext } from '@panel-lab/compute';
import { GPUJS_MAX_INDEX, GpujsBackend, assertGpujsIndexable } from '../src/index.js';

describe('gpu.js limits and config', () => {
  it('refuses sizes at the 2^24 float32 index limit instead of reading wrong elements', () => {
    expect(() => assertGpujsIndexable('Gather', GPUJS_MAX_INDEX - 1)).not.toThrow();
    expect(() => assertGpujsIndexable('Gather', GPUJS_MAX_INDEX)).toThrow(/index limit 2\^24/);
  });

  it('rejects a device gpu.js does not have', () => {
    expect(() => new GpujsBackend({ device: 'cuda', allowFallback: false })).toThrow(/webgpu or webasm/);
  });

  it('a kernel missing on the backend is an error without fallback', async () => {
    const registry = new KernelRegistry();
    registry.registerBackend('gpujs', (o) => new GpujsBackend(o), 2);
    const ctx = await createComputeContext(new ComputeConfig({ backend: 'gpujs', device: 'webasm' }), registry);
    await expect(ctx.run('Gather', { x: { rows: 1, cols: 1, data: new Float64Array(1) }, index: new Int32Array(1) }, {})).rejects.toThrow(
      "Kernel 'Gather' not registered for backend 'gpujs'",
    );
    await ctx.dispose();
  });
});
