import type { Backend, KernelRegistry } from '@panel-lab/compute';
import { demeanImpl } from './demean.js';
import { crossProdImpl, gatherImpl, gatherSumImpl, segmentSumImpl } from './linalg.js';
import { multiplierBootstrapImpl } from './multiplier-bootstrap.js';

/** The float64 reference backend: plain TypeScript over Float64Array, always present. */
export class CpuBackend implements Backend {
  readonly name = 'cpu';
  readonly priority: number;
  readonly floatPrecision = 64 as const;
  readonly device = 'cpu';

  constructor(priority = CPU_PRIORITY) {
    this.priority = priority;
  }

  async init(): Promise<boolean> {
    return true;
  }

  async dispose(): Promise<void> {}

  liveBuffers(): number {
    return 0; // plain typed arrays, reclaimed by the garbage collector
  }
}

/** Lowest built-in priority: cpu is the last resort in 'auto' and in fallbacks. */
export const CPU_PRIORITY = 1;

/** Registers the cpu backend and all its kernels in a registry instance. */
export function registerCpuBackend(registry: KernelRegistry, priority = CPU_PRIORITY): KernelRegistry {
  registry.registerBackend('cpu', () => new CpuBackend(priority), priority);
  registry.register({ kernel: 'Demean', backend: 'cpu', run: async ({ inputs, attrs }) => demeanImpl(inputs, attrs) });
  registry.register({ kernel: 'CrossProd', backend: 'cpu', run: async ({ inputs }) => crossProdImpl(inputs) });
  registry.register({ kernel: 'SegmentSum', backend: 'cpu', run: async ({ inputs }) => segmentSumImpl(inputs) });
  registry.register({
    kernel: 'MultiplierBootstrap',
    backend: 'cpu',
    run: async ({ inputs, attrs }) => multiplierBootstrapImpl(inputs, attrs),
  });
  registry.register({ kernel: 'Gather', backend: 'cpu', run: async ({ inputs }) => gatherImpl(inputs) });
  registry.register({ kernel: 'GatherSum', backend: 'cpu', run: async ({ inputs }) => gatherSumImpl(inputs) });
  return registry;
}
