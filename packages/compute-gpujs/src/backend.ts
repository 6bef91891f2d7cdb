import type { GPU as GpuType, IKernelRunShortcut, IKernelSettings, KernelFunction } from 'gpu.js';
import { bindingLimitBytes, ensureWebGpu, type AdapterInfo, type Backend, type BackendOptions } from '@panel-lab/compute';

/** A kernel body in gpu.js's JavaScript subset (this.thread, this.constants; parsed from its source). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type GpuKernelSource = (this: any, ...args: any[]) => number;

export interface CompiledKernel {
  run(...args: unknown[]): Promise<unknown>;
  destroy(): Promise<void>;
}

export type GpujsDevice = 'webgpu' | 'webasm';
export const GPUJS_PRIORITY = 2;

/**
 * gpu.js float32 values carry integers exactly only below 2^24; indices at or beyond it read
 * wrong elements (verified on webasm and webgpu), so every kernel here refuses such sizes.
 */
export const GPUJS_MAX_INDEX = 2 ** 24;

/** Throws before a kernel would index past gpu.js's float32 integer limit. */
export function assertGpujsIndexable(what: string, n: number): void {
  if (n >= GPUJS_MAX_INDEX) {
    throw new RangeError(`gpujs ${what}: ${n} rows reach gpu.js's float32 index limit 2^24; use the tfjs or cpu backend`);
  }
}

type GpuJsModule = typeof import('gpu.js');
let gpujs: Promise<GpuJsModule> | undefined;

/**
 * gpu.js as a compute backend, for custom kernels tfjs lacks: 'webgpu' (Dawn) by default, else
 * 'webasm'. Each kernel is compiled, run and destroyed within the call, so nothing stays live.
 */
export class GpujsBackend implements Backend {
  readonly name = 'gpujs';
  readonly priority: number;
  readonly floatPrecision = 32 as const;
  readonly device: GpujsDevice;
  #gpu: GpuType | undefined;
  #module: GpuJsModule | undefined;
  #live = 0;
  #adapter: AdapterInfo | undefined;
  #failure: string | undefined;
  /** Largest buffer a kernel may bind (adapter limits on webgpu; Infinity on webasm). */
  bindingLimitBytes = Infinity;
  /** The gpu.js mode the last kernel really ran in (kernel.kernel.constructor.mode). */
  lastMode: string | undefined;

  constructor(options: BackendOptions, priority = GPUJS_PRIORITY) {
    const d = options.device ?? 'webgpu';
    if (d !== 'webgpu' && d !== 'webasm') throw new Error(`gpujs backend: device must be webgpu or webasm, got '${d}'`);
    this.device = d;
    this.priority = priority;
  }

  get adapter(): AdapterInfo | undefined {
    return this.#adapter;
  }
  get initFailure(): string | undefined {
    return this.#failure;
  }

  async init(): Promise<boolean> {
    try {
      if (this.device === 'webgpu') {
        const probe = await ensureWebGpu(); // gpu.js looks for navigator.gpu
        if (!probe.available) {
          this.#failure = probe.reason ?? 'no WebGPU adapter';
          return false;
        }
        this.#adapter = probe.adapter;
        // gpu.js's WebGPU context asks its device for the adapter's own limits.
        this.bindingLimitBytes = bindingLimitBytes(probe);
      }
      gpujs ??= import('gpu.js');
      this.#module = await gpujs;
      this.#gpu = new this.#module.GPU({ mode: this.device });
      // A trial kernel proves the mode really works here (gpu.js could otherwise pick another backend).
      const probeOut = await this.run(
        function (this: { thread: { x: number } }, a: number[]) {
          return a[this.thread.x]! * 2;
        },
        { output: [2] },
        [new Float32Array([1, 2])],
      );
      const values = Array.from(probeOut as Float32Array);
      if (values[0] !== 2 || values[1] !== 4) throw new Error(`trial kernel returned ${values.join(',')}`);
      return true;
    } catch (err) {
      this.#failure = `gpu.js ${this.device}: ${err instanceof Error ? err.message : String(err)}`;
      return false;
    }
  }

  /** gpu.js's input(): a flat array read with multi-dimensional indexing (never a flat index past 2^24). */
  input(values: Float32Array, size: [number] | [number, number]): unknown {
    if (!this.#module) throw new Error('gpujs backend used before init()');
    return (this.#module as unknown as { input(v: Float32Array, s: number[]): unknown }).input(values, size);
  }

  /**
   * Compiles a kernel to run many times within one kernel call (e.g. every sweep of Demean); it
   * counts as live until destroy(). Each run checks the mode like run().
   */
  compile(fn: GpuKernelSource, settings: IKernelSettings): CompiledKernel {
    if (!this.#gpu) throw new Error('gpujs backend used before init()');
    const kernel = this.#gpu.createKernel(fn as unknown as KernelFunction, { ...settings, tactic: 'precision' }) as IKernelRunShortcut;
    this.#live++;
    let destroyed = false;
    return {
      run: async (...args: unknown[]) => {
        const out = await (kernel as unknown as (...a: unknown[]) => unknown)(...args);
        const mode = (kernel as unknown as { kernel?: { constructor?: { mode?: string } } }).kernel?.constructor?.mode;
        this.lastMode = mode;
        if (mode !== this.device) throw new Error(`gpu.js ran the kernel in mode '${String(mode)}', not '${this.device}'`);
        return out;
      },
      destroy: async () => {
        if (destroyed) return;
        destroyed = true;
        await (kernel as unknown as { destroy(): unknown }).destroy();
        this.#live--;
      },
    };
  }

  /** Compiles, runs and destroys one kernel; checks it ran in this backend's mode. */
  async run(fn: GpuKernelSource, settings: IKernelSettings, args: unknown[]): Promise<unknown> {
    if (!this.#gpu) throw new Error('gpujs backend used before init()');
    const kernel = this.#gpu.createKernel(fn as unknown as KernelFunction, { ...settings, tactic: 'precision' }) as IKernelRunShortcut;
    this.#live++;
    try {
      const out = await (kernel as unknown as (...a: unknown[]) => unknown)(...args);
      const mode = (kernel as unknown as { kernel?: { constructor?: { mode?: string } } }).kernel?.constructor?.mode;
      this.lastMode = mode;
      if (mode !== this.device) throw new Error(`gpu.js ran the kernel in mode '${String(mode)}', not '${this.device}'`);
      return out;
    } finally {
      await (kernel as unknown as { destroy(): unknown }).destroy();
      this.#live--;
    }
  }

  async dispose(): Promise<void> {
    const gpu = this.#gpu;
    this.#gpu = undefined;
    if (gpu) await (gpu as unknown as { destroy(): unknown }).destroy();
  }

  /** Kernels (and their device buffers) currently alive. */
  liveBuffers(): number {
    return this.#live;
  }
}
