import type { AdapterInfo, Backend, Fallback } from './backend.js';
import type { ComputeConfig } from './config.js';
import type { KernelAttrs, KernelInputs, KernelName, KernelOutput } from './kernels.js';
import type { KernelRegistry } from './registry.js';
import { inputSize, validateKernelArgs } from './validate.js';

/** What every result copies into its meta: who was asked, who really ran, and every fallback. */
export interface ComputeMeta {
  readonly requested: string;
  readonly backend: string;
  readonly device: string;
  readonly precision: 32 | 64;
  readonly fallbacks: readonly Fallback[];
  readonly adapter?: AdapterInfo;
}

export interface ComputeContext {
  readonly backend: Backend;
  /** A frozen snapshot (grows when a kernel is forwarded to cpu). */
  readonly meta: ComputeMeta;
  run<K extends KernelName>(kernel: K, inputs: KernelInputs<K>, attrs: KernelAttrs<K>): Promise<KernelOutput<K>>;
  dispose(): Promise<void>;
}

export interface ContextOptions {
  /** Where fallbacks are logged (never silent). Default console.warn. */
  log?: (message: string) => void;
}

async function tryInit(backend: Backend): Promise<string | undefined> {
  try {
    if (await backend.init()) return undefined;
    return backend.initFailure ?? 'init() returned false';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Resolves the backend that will actually run (tfjs initializeBackendsAndReturnBest): the one
 * asked for, else (allowFallback only) the other registered backends by priority. Every failure
 * on the way is logged and recorded in meta.fallbacks.
 */
export async function createComputeContext(
  config: ComputeConfig,
  registry: KernelRegistry,
  options: ContextOptions = {},
): Promise<ComputeContext> {
  const log = options.log ?? ((m: string) => console.warn(m));
  const all = registry.backends();
  if (all.length === 0) throw new Error('createComputeContext: no backend registered in this KernelRegistry');
  let candidates = all;
  if (config.backend !== 'auto') {
    const asked = registry.backend(config.backend);
    if (!asked) {
      throw new Error(`ComputeConfig backend '${config.backend}' is not registered; registered: ${all.map((b) => b.name).join(', ')}`);
    }
    candidates = config.allowFallback ? [asked, ...all.filter((b) => b.name !== asked.name)] : [asked];
  }
  const fallbacks: Fallback[] = [];
  for (const [k, reg] of candidates.entries()) {
    const isAsked = config.backend === 'auto' || k === 0;
    const backend = reg.factory({
      ...(isAsked && config.device !== undefined ? { device: config.device } : {}),
      allowFallback: config.allowFallback,
    });
    const failure = await tryInit(backend);
    if (failure === undefined) {
      for (const f of backend.fallbacks ?? []) {
        fallbacks.push(f);
        log(`compute: ${backend.name} fell back from ${f.from}: ${f.reason}`);
      }
      if (config.precision !== undefined && backend.floatPrecision !== config.precision && !config.allowFallback) {
        await backend.dispose();
        throw new Error(`ComputeConfig precision ${config.precision} asked, but backend '${backend.name}' computes in float${backend.floatPrecision}`);
      }
      return new Context(config, registry, backend, fallbacks, log);
    }
    const from = config.device !== undefined && isAsked ? `${reg.name}:${config.device}` : reg.name;
    fallbacks.push(Object.freeze({ from, reason: failure }));
    await backend.dispose().catch(() => undefined);
    if (!config.allowFallback && config.backend !== 'auto') {
      throw new Error(`compute backend '${from}' cannot start: ${failure} (set allowFallback: true to use another backend)`);
    }
    log(`compute: backend '${from}' cannot start (${failure}); trying the next one`);
  }
  throw new Error(`no compute backend could start: ${fallbacks.map((f) => `${f.from}: ${f.reason}`).join('; ')}`);
}

class Context implements ComputeContext {
  readonly #fallbacks: Fallback[];
  #cpu: Backend | undefined;

  constructor(
    readonly config: ComputeConfig,
    readonly registry: KernelRegistry,
    readonly backend: Backend,
    fallbacks: Fallback[],
    readonly log: (message: string) => void,
  ) {
    this.#fallbacks = fallbacks;
  }

  get meta(): ComputeMeta {
    return Object.freeze({
      requested: this.config.backend + (this.config.device !== undefined ? `:${this.config.device}` : ''),
      backend: this.backend.name,
      device: this.backend.device,
      precision: this.backend.floatPrecision,
      fallbacks: Object.freeze([...this.#fallbacks]),
      ...(this.backend.adapter ? { adapter: this.backend.adapter } : {}),
    });
  }

  async run<K extends KernelName>(kernel: K, inputs: KernelInputs<K>, attrs: KernelAttrs<K>): Promise<KernelOutput<K>> {
    validateKernelArgs(kernel, inputs, attrs);
    const name = this.backend.name;
    let reason: string | undefined;
    if (name !== 'cpu' && inputSize(kernel, inputs) < this.config.cpuThreshold) {
      reason = `input below cpuThreshold ${this.config.cpuThreshold}`;
    } else if (!this.registry.has(kernel, name)) {
      if (!this.config.allowFallback || name === 'cpu') this.registry.get(kernel, name); // throws the standard error
      reason = `Kernel '${kernel}' not registered for backend '${name}'`;
    }
    if (reason === undefined) return this.registry.get(kernel, name).run({ inputs, attrs, backend: this.backend });
    const cpu = await this.#cpuBackend();
    if (!this.#fallbacks.some((f) => f.kernel === kernel && f.reason === reason)) {
      this.#fallbacks.push(Object.freeze({ from: name, kernel, reason }));
      this.log(`compute: ${kernel} forwarded from ${name} to cpu: ${reason}`);
    }
    return this.registry.get(kernel, 'cpu').run({ inputs, attrs, backend: cpu });
  }

  async #cpuBackend(): Promise<Backend> {
    if (this.#cpu) return this.#cpu;
    const reg = this.registry.backend('cpu');
    if (!reg) throw new Error(`cannot forward to cpu: backend 'cpu' is not registered`);
    const cpu = reg.factory({ allowFallback: false });
    const failure = await tryInit(cpu);
    if (failure !== undefined) throw new Error(`cannot forward to cpu: ${failure}`);
    this.#cpu = cpu;
    return cpu;
  }

  async dispose(): Promise<void> {
    await this.backend.dispose();
    await this.#cpu?.dispose();
  }
}
