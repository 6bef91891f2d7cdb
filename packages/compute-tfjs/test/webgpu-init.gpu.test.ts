import { describe, expect, it } from 'vitest';
import { webGpuGate } from '@panel-lab/compute-conformance';
import { hasWebGpu, initTfjs } from '../src/index.js';

const gate = await webGpuGate();
if (gate.skipReason) console.warn(`tfjs webgpu init tests skipped: ${gate.skipReason}`);

describe.skipIf(gate.skipReason !== undefined)('initTfjs on webgpu (Dawn)', () => {
  it('finds an adapter and really runs on webgpu', async () => {
    expect(await hasWebGpu()).toBe(true);
    const h = await initTfjs({ backend: 'webgpu', allowFallback: false });
    expect(h.backend).toBe('webgpu');
    expect(h.tf.getBackend()).toBe('webgpu');
    expect(h.adapter?.vendor).toBeTruthy();
    const before = h.tf.memory().numTensors;
    const m = h.tf.tidy(() => h.tf.matMul(h.tf.tensor2d([1, 2, 3, 4], [2, 2]), h.tf.tensor2d([1, 0, 0, 1], [2, 2])));
    expect(Array.from(await m.data())).toEqual([1, 2, 3, 4]);
    m.dispose();
    expect(h.tf.memory().numTensors).toBe(before);
  });
});
