import { describe, expect, it } from 'vitest';
import { initTfjs } from '../src/index.js';

describe('initTfjs', () => {
  it('starts the wasm backend, verifies it is active, and is idempotent', async () => {
    const a = await initTfjs({ backend: 'wasm' });
    expect(a.backend).toBe('wasm');
    expect(a.tf.getBackend()).toBe('wasm');
    expect(a.fallbacks).toEqual([]);
    const b = await initTfjs({ backend: 'wasm' });
    expect(b.tf).toBe(a.tf);
    const before = a.tf.memory().numTensors;
    const s = a.tf.tidy(() => a.tf.sum(a.tf.tensor1d([1, 2, 3])));
    expect((await s.data())[0]).toBe(6);
    s.dispose();
    expect(a.tf.memory().numTensors).toBe(before);
  });

  it('switches device when asked again (one device active per process)', async () => {
    const c = await initTfjs({ backend: 'cpu' });
    expect(c.backend).toBe('cpu');
    expect(c.tf.getBackend()).toBe('cpu');
    expect((await initTfjs({ backend: 'wasm' })).tf.getBackend()).toBe('wasm');
  });

  it('rejects an unknown backend, naming the option', async () => {
    await expect(initTfjs({ backend: 'webgl' as never })).rejects.toThrow("option 'backend' must be webgpu, wasm or cpu");
  });
});
