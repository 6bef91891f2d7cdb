import { hasWebGpu, initTfjs, webGpuRequired } from '@panel-lab/compute-tfjs';
import { describe, expect, it } from 'vitest';
import { checkAgainstReference } from './tfjs-check.js';

// WebGPU runs through Dawn (Mesa lavapipe on CPU machines: slow), so sizes stay tiny (B = 4, 20 epochs).
// Without an adapter the group is skipped with a note, except under REQUIRE_WEBGPU=1 (CI), where it fails.
const webgpu = await hasWebGpu();
if (!webgpu) console.warn('ann: no WebGPU adapter; WebGPU ensemble tests skipped (REQUIRE_WEBGPU=1 makes this a failure)');

describe.skipIf(!webgpu && !webGpuRequired())('trainBatchedTfjs on tfjs-webgpu', () => {
  it('an adapter exists and initTfjs really runs webgpu', async () => {
    expect(webgpu).toBe(true);
    const engine = await initTfjs({ backend: 'webgpu' });
    expect(engine.backend).toBe('webgpu');
    expect(engine.tf.getBackend()).toBe('webgpu');
  });
  it('matches the f64 reference within float32 tolerance (B=4, 20 epochs, Adam, tanh)', async () => {
    await checkAgainstReference(await initTfjs({ backend: 'webgpu' }), { epochs: 20, optimizer: 'adam', learningRate: 0.01, activation: 'tanh', patience: 100 });
  }, 120_000);
  it('early stopping with per-member snapshots agrees with the reference', async () => {
    await checkAgainstReference(await initTfjs({ backend: 'webgpu' }), { epochs: 60, optimizer: 'adam', learningRate: 0.05, activation: 'tanh', patience: 10 }, 3);
  }, 120_000);
});
