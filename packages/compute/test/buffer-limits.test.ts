import { describe, expect, it } from 'vitest';
import { BufferLimitError, assertFitsBinding, bindingLimitBytes, itemsPerBinding, webGpuPowerPreference } from '../src/index.js';

describe('WebGPU buffer limits', () => {
  it('binds by the smaller of maxStorageBufferBindingSize and maxBufferSize', () => {
    expect(bindingLimitBytes({ maxStorageBufferBindingSize: 128 * 2 ** 20, maxBufferSize: 256 * 2 ** 20 })).toBe(128 * 2 ** 20);
    expect(bindingLimitBytes({ maxStorageBufferBindingSize: 4 * 2 ** 30, maxBufferSize: 2 ** 31 })).toBe(2 ** 31);
    expect(bindingLimitBytes(undefined)).toBe(Infinity);
  });

  it('refuses a buffer over the limit with an error that names the kernel and both sizes', () => {
    expect(() => assertFitsBinding('tfjs Demean', 2 ** 20, 4 * 2 ** 20)).not.toThrow();
    const err = (() => {
      try {
        assertFitsBinding('tfjs Demean', 2 ** 25, 2 ** 27 - 4);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BufferLimitError);
    expect(String((err as Error).message)).toMatch(/tfjs Demean: one buffer of 128\.0 MiB exceeds .* limit of 128\.0 MiB/);
  });

  it('splits items into pieces that fit, and refuses when one item alone does not', () => {
    expect(itemsPerBinding('w', 1000, 50, Infinity)).toBe(50);
    expect(itemsPerBinding('w', 1000, 50, 4000 * 7)).toBe(7);
    expect(itemsPerBinding('w', 1000, 3, 4000 * 7)).toBe(3);
    expect(() => itemsPerBinding('w', 1000, 50, 3999)).toThrow(BufferLimitError);
  });

  it('asks for the high-performance adapter unless told otherwise', () => {
    const before = process.env.PANEL_LAB_WEBGPU_POWER;
    delete process.env.PANEL_LAB_WEBGPU_POWER;
    expect(webGpuPowerPreference()).toBe('high-performance');
    process.env.PANEL_LAB_WEBGPU_POWER = 'low-power';
    expect(webGpuPowerPreference()).toBe('low-power');
    if (before === undefined) delete process.env.PANEL_LAB_WEBGPU_POWER;
    else process.env.PANEL_LAB_WEBGPU_POWER = before;
  });
});
