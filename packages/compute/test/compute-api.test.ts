import { describe, expect, it, vi } from 'vitest';
import {
  ComputeConfig,
  KernelRegistry,
  createComputeContext,
  mat,
  type Backend,
  type BackendOptions,
} from '../src/index.js';

/** A backend whose init result is chosen by the test. */
class FakeBackend implements Backend {
  readonly floatPrecision: 32 | 64;
  readonly device: string;
  initFailure: string | undefined;
  disposed = false;
  constructor(
    readonly name: string,
    readonly priority: number,
    private readonly ok: boolean,
    opts: BackendOptions,
    precision: 32 | 64 = 64,
  ) {
    this.device = opts.device ?? 'cpu';
    this.floatPrecision = precision;
  }
  async init() {
    if (!this.ok) this.initFailure = `${this.name} has no device here`;
    return this.ok;
  }
  async dispose() {
    this.disposed = true;
  }
  liveBuffers() {
    return 0;
  }
}

function registryWith(okGpu: boolean) {
  const warn = vi.fn();
  const r = new KernelRegistry({ warn });
  r.registerBackend('cpu', (o) => new FakeBackend('cpu', 1, true, o), 1);
  r.registerBackend('gpujs', (o) => new FakeBackend('gpujs', 2, okGpu, o, 32), 2);
  r.register({ kernel: 'Gather', backend: 'cpu', run: async ({ inputs }) => mat(inputs.index.length, 0) });
  r.register({ kernel: 'Gather', backend: 'gpujs', run: async ({ inputs }) => mat(inputs.index.length, 0) });
  r.register({ kernel: 'CrossProd', backend: 'cpu', run: async () => mat(1, 1, new Float64Array([42])) });
  return { r, warn };
}

describe('KernelRegistry', () => {
  it('throws the standard error for a kernel missing on a backend', () => {
    const { r } = registryWith(true);
    expect(() => r.get('Demean', 'gpujs')).toThrow("Kernel 'Demean' not registered for backend 'gpujs'");
    expect(r.kernelsFor('cpu').sort()).toEqual(['CrossProd', 'Gather']);
  });

  it('warns on duplicate registration and keeps instances separate', () => {
    const { r, warn } = registryWith(true);
    r.register({ kernel: 'Gather', backend: 'cpu', run: async () => mat(0, 0) });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("'Gather' for backend 'cpu' is already registered"));
    expect(new KernelRegistry().has('Gather', 'cpu')).toBe(false);
  });

  it('lists backends by priority, highest first', () => {
    expect(registryWith(true).r.backends().map((b) => b.name)).toEqual(['gpujs', 'cpu']);
  });
});

describe('ComputeConfig', () => {
  it('is frozen and validated', () => {
    const c = new ComputeConfig({ backend: 'tfjs', device: 'webgpu', allowFallback: false });
    expect(Object.isFrozen(c)).toBe(true);
    expect(c.toJSON()).toEqual({ backend: 'tfjs', device: 'webgpu', allowFallback: false, cpuThreshold: 0 });
  });

  it('rejects float64 on a float32-only GPU path, unknown devices and options', () => {
    expect(() => new ComputeConfig({ backend: 'tfjs', precision: 64 })).toThrow(/float32 only/);
    expect(() => new ComputeConfig({ backend: 'gpujs', device: 'wasm' })).toThrow(/no device 'wasm'; allowed: webgpu, webasm/);
    expect(() => new ComputeConfig({ backend: 'cpu', precision: 32 })).toThrow(/float64 only/);
    expect(() => new ComputeConfig({ backend: 'auto', device: 'webgpu' })).toThrow(/named backend/);
    expect(() => new ComputeConfig({ backend: 'cpu', colour: 'red' } as never)).toThrow(/unknown option 'colour'/);
    expect(() => new ComputeConfig({ backend: 'cpu', cpuThreshold: -1 })).toThrow(/cpuThreshold/);
  });

  it('accepts plug-in backends (e.g. an opt-in tensorflow backend) with any device', () => {
    expect(new ComputeConfig({ backend: 'tensorflow', device: 'cuda' }).device).toBe('cuda');
  });
});

describe('createComputeContext', () => {
  it('records the backend that ran and no fallback', async () => {
    const ctx = await createComputeContext(new ComputeConfig({ backend: 'gpujs', device: 'webgpu' }), registryWith(true).r);
    expect(ctx.meta).toEqual({ requested: 'gpujs:webgpu', backend: 'gpujs', device: 'webgpu', precision: 32, fallbacks: [] });
    expect(Object.isFrozen(ctx.meta)).toBe(true);
  });

  it('throws when the asked backend cannot start and fallback is not allowed', async () => {
    await expect(createComputeContext(new ComputeConfig({ backend: 'gpujs' }), registryWith(false).r)).rejects.toThrow(
      "compute backend 'gpujs' cannot start: gpujs has no device here",
    );
  });

  it('falls back by priority when allowed, logs it and records it', async () => {
    const log = vi.fn();
    const ctx = await createComputeContext(
      new ComputeConfig({ backend: 'gpujs', device: 'webgpu', allowFallback: true }),
      registryWith(false).r,
      { log },
    );
    expect(ctx.meta.backend).toBe('cpu');
    expect(ctx.meta.fallbacks).toEqual([{ from: 'gpujs:webgpu', reason: 'gpujs has no device here' }]);
    expect(log).toHaveBeenCalledOnce();
  });

  it("'auto' picks the highest priority backend that starts", async () => {
    expect((await createComputeContext(new ComputeConfig({ backend: 'auto' }), registryWith(true).r)).meta.backend).toBe('gpujs');
    const ctx = await createComputeContext(new ComputeConfig({ backend: 'auto' }), registryWith(false).r, { log: () => {} });
    expect(ctx.meta.backend).toBe('cpu');
    expect(ctx.meta.fallbacks.map((f) => f.from)).toEqual(['gpujs']);
  });

  it('an unregistered backend name is an error naming the registered ones', async () => {
    await expect(createComputeContext(new ComputeConfig({ backend: 'tensorflow' }), registryWith(true).r)).rejects.toThrow(
      "backend 'tensorflow' is not registered; registered: gpujs, cpu",
    );
  });

  it('a kernel missing on the backend throws, or is forwarded to cpu and recorded when fallback is allowed', async () => {
    const strict = await createComputeContext(new ComputeConfig({ backend: 'gpujs' }), registryWith(true).r);
    await expect(strict.run('CrossProd', { a: mat(1, 1) }, {})).rejects.toThrow("Kernel 'CrossProd' not registered for backend 'gpujs'");
    const log = vi.fn();
    const loose = await createComputeContext(new ComputeConfig({ backend: 'gpujs', allowFallback: true }), registryWith(true).r, { log });
    const out = await loose.run('CrossProd', { a: mat(1, 1) }, {});
    expect(out.data[0]).toBe(42);
    expect(loose.meta.fallbacks).toEqual([{ from: 'gpujs', kernel: 'CrossProd', reason: "Kernel 'CrossProd' not registered for backend 'gpujs'" }]);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('forwarded from gpujs to cpu'));
  });

  it('forwards inputs below cpuThreshold to cpu and records it', async () => {
    const ctx = await createComputeContext(new ComputeConfig({ backend: 'gpujs', cpuThreshold: 100 }), registryWith(true).r, { log: () => {} });
    await ctx.run('Gather', { x: mat(2, 1), index: new Int32Array([1]) }, {});
    expect(ctx.meta.fallbacks).toEqual([{ from: 'gpujs', kernel: 'Gather', reason: 'input below cpuThreshold 100' }]);
  });

  it('validates kernel inputs before dispatch, naming the argument and row', async () => {
    const ctx = await createComputeContext(new ComputeConfig({ backend: 'cpu' }), registryWith(true).r);
    await expect(ctx.run('Gather', { x: mat(2, 1), index: new Int32Array([0, 5]) }, {})).rejects.toThrow(
      'Gather input index: position 1 is 5, outside rows 0..1',
    );
    await expect(ctx.run('GatherSum', { x: mat(2, 1), index: new Int32Array([0, 1, 1]), groupSize: 2 }, {})).rejects.toThrow(
      'GatherSum input index: length 3 is not a multiple of groupSize 2',
    );
  });
});
