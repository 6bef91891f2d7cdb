import type * as TfCore from '@tensorflow/tfjs-core';
import { bindingLimitBytes, ensureWebGpu, type AdapterInfo, type Backend, type BackendOptions, type Fallback } from '@panel-lab/compute';
import { initTfjs, type TfjsDevice } from './init-tfjs.js';

export const TFJS_PRIORITY = 3;

/**
 * tfjs-core as a compute backend: float32 on webgpu (Dawn), wasm or cpu. Without a device asked
 * for it takes the best that starts (webgpu, else wasm, else cpu) and records the steps taken.
 */
export class TfjsBackend implements Backend {
  readonly name = 'tfjs';
  readonly priority: number;
  readonly floatPrecision = 32 as const;
  #device: TfjsDevice | undefined;
  #tf: typeof TfCore | undefined;
  #fallbacks: Fallback[] = [];
  #adapter: AdapterInfo | undefined;
  #failure: string | undefined;
  readonly #asked: TfjsDevice | undefined;
  readonly #allowFallback: boolean;

  constructor(options: BackendOptions, priority = TFJS_PRIORITY) {
    const d = options.device;
    if (d !== undefined && d !== 'webgpu' && d !== 'wasm' && d !== 'cpu') {
      throw new Error(`tfjs backend: device must be webgpu, wasm or cpu, got '${d}'`);
    }
    this.#asked = d;
    this.#allowFallback = options.allowFallback;
    this.priority = priority;
  }

  get device(): string {
    return this.#device ?? this.#asked ?? 'webgpu';
  }
  get fallbacks(): readonly Fallback[] {
    return this.#fallbacks;
  }
  get adapter(): AdapterInfo | undefined {
    return this.#adapter;
  }
  get initFailure(): string | undefined {
    return this.#failure;
  }
  /** Largest buffer a kernel may bind on this device (the adapter's limits on webgpu; Infinity elsewhere). */
  get bindingLimitBytes(): number {
    return this.#limitBytes;
  }
  #limitBytes = Infinity;

  /** The tfjs module, after init(); also checks that tfjs is still on our device (the engine is per process). */
  get tf(): typeof TfCore {
    if (!this.#tf || !this.#device) throw new Error('tfjs backend used before init()');
    const active = this.#tf.getBackend();
    if (active !== this.#device) {
      throw new Error(`tfjs backend: the process-wide tfjs engine is on '${active}', this context needs '${this.#device}' (call initTfjs or use one device per process)`);
    }
    return this.#tf;
  }

  async init(): Promise<boolean> {
    try {
      const handle = await initTfjs({
        backend: this.#asked ?? 'webgpu',
        allowFallback: this.#asked === undefined ? true : this.#allowFallback,
      });
      this.#tf = handle.tf;
      this.#device = handle.backend;
      this.#fallbacks = handle.fallbacks;
      this.#adapter = handle.adapter;
      // tfjs-backend-webgpu asks its device for the adapter's own limits, so those are the ones that bind.
      if (handle.backend === 'webgpu') this.#limitBytes = bindingLimitBytes(await ensureWebGpu());
      return true;
    } catch (err) {
      this.#failure = err instanceof Error ? err.message : String(err);
      return false;
    }
  }

  /** The tfjs engine is shared by the process (ann uses it too): nothing to tear down here. */
  async dispose(): Promise<void> {}

  liveBuffers(): number {
    return this.#tf ? this.#tf.memory().numTensors : 0;
  }
}
