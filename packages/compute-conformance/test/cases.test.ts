import { describe, expect, it } from 'vitest';
import { KERNEL_NAMES, validateKernelArgs } from '@panel-lab/compute';
import { conformanceCases, loadMpdta, webGpuGate } from '../src/index.js';

describe('conformance cases', () => {
  it('cover every kernel and pass input validation', () => {
    const cases = conformanceCases();
    expect(new Set(cases.map((c) => c.kernel))).toEqual(new Set(KERNEL_NAMES));
    for (const c of cases) expect(() => validateKernelArgs(c.kernel, c.inputs, c.attrs)).not.toThrow();
  });

  it('are reproducible (seeded)', () => {
    const a = conformanceCases()[0]!.inputs as { x: { data: Float64Array } };
    const b = conformanceCases()[0]!.inputs as { x: { data: Float64Array } };
    expect(a.x.data).toEqual(b.x.data);
  });

  it('load mpdta as a balanced 500 x 5 panel', () => {
    const d = loadMpdta();
    expect(d.lemp.length).toBe(2500);
    expect(Math.max(...d.county) + 1).toBe(500);
    expect(Math.max(...d.year) + 1).toBe(5);
    expect(d.treatPost.reduce((s, v) => s + v, 0)).toBeGreaterThan(0);
  });
});

describe('webGpuGate', () => {
  it('runs WebGPU tests when an adapter exists or REQUIRE_WEBGPU=1, else gives a reason', async () => {
    const gate = await webGpuGate();
    if (gate.probe.available || process.env.REQUIRE_WEBGPU === '1') expect(gate.skipReason).toBeUndefined();
    else expect(gate.skipReason).toMatch(/no WebGPU adapter/);
  });
});
