import type { Backend, BackendFactory, BackendName } from './backend.js';
import type { KernelAttrs, KernelInputs, KernelName, KernelOutput } from './kernels.js';

/** One kernel implemented for one backend (tfjs KernelConfig). */
export interface KernelConfig<K extends KernelName, B extends Backend = Backend> {
  readonly kernel: K;
  readonly backend: BackendName;
  run(args: { inputs: KernelInputs<K>; attrs: KernelAttrs<K>; backend: B }): Promise<KernelOutput<K>>;
}

export interface BackendRegistration {
  readonly name: BackendName;
  readonly priority: number;
  readonly factory: BackendFactory;
}

/** Erased form stored in the registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyKernelConfig = KernelConfig<any, any>;

/**
 * Kernels and backend factories of one composition root. An instance, never a global: tests and
 * workers build their own (the anti-pattern avoided is tfjs's side-effect-filled global registry).
 */
export class KernelRegistry {
  readonly #kernels = new Map<string, AnyKernelConfig>();
  readonly #backends = new Map<string, BackendRegistration>();
  readonly #warn: (message: string) => void;

  constructor(options: { warn?: (message: string) => void } = {}) {
    this.#warn = options.warn ?? ((m) => console.warn(m));
  }

  register<K extends KernelName, B extends Backend>(config: KernelConfig<K, B>): this {
    const key = `${config.backend}/${config.kernel}`;
    if (this.#kernels.has(key)) this.#warn(`Kernel '${config.kernel}' for backend '${config.backend}' is already registered; replacing it`);
    this.#kernels.set(key, config as AnyKernelConfig);
    return this;
  }

  get<K extends KernelName>(kernel: K, backend: BackendName): KernelConfig<K> {
    const found = this.#kernels.get(`${backend}/${kernel}`);
    if (!found) throw new Error(`Kernel '${kernel}' not registered for backend '${backend}'`);
    return found as KernelConfig<K>;
  }

  has(kernel: KernelName, backend: BackendName): boolean {
    return this.#kernels.has(`${backend}/${kernel}`);
  }

  /** Kernel names registered for a backend. */
  kernelsFor(backend: BackendName): KernelName[] {
    return [...this.#kernels.values()].filter((k) => k.backend === backend).map((k) => k.kernel as KernelName);
  }

  registerBackend(name: BackendName, factory: BackendFactory, priority: number): this {
    if (this.#backends.has(name)) this.#warn(`Backend '${name}' is already registered; replacing it`);
    this.#backends.set(name, Object.freeze({ name, priority, factory }));
    return this;
  }

  backend(name: BackendName): BackendRegistration | undefined {
    return this.#backends.get(name);
  }

  /** Registered backends, highest priority first. */
  backends(): BackendRegistration[] {
    return [...this.#backends.values()].sort((a, b) => b.priority - a.priority);
  }
}
