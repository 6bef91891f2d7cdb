import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { initTfjs } from '../src/index.js';

// Forcing WASM_HAS_MULTITHREAD_SUPPORT makes the wasm backend fail to start in Node (tfjs #3830);
// tfjs would then quietly run on cpu. initTfjs must notice, and record or refuse it. Own file: the
// tfjs engine is per process.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);

describe('initTfjs when the asked device cannot start', () => {
  it('throws without allowFallback, naming the device', async () => {
    await expect(initTfjs({ backend: 'wasm' })).rejects.toThrow(/tfjs backend 'wasm' cannot start/);
  });

  it('falls back to cpu with allowFallback and records why', async () => {
    const h = await initTfjs({ backend: 'wasm', allowFallback: true });
    expect(h.backend).toBe('cpu');
    expect(h.tf.getBackend()).toBe('cpu');
    expect(h.fallbacks).toHaveLength(1);
    expect(h.fallbacks[0]!.from).toBe('tfjs:wasm');
    expect(h.fallbacks[0]!.reason.length).toBeGreaterThan(0);
  });
});
