import type { KernelRegistry } from '@panel-lab/compute';
import { TFJS_PRIORITY, TfjsBackend } from './backend.js';
import { registerTfjsKernels } from './kernels.js';

/** Registers the tfjs backend factory and all its kernels in a registry instance. */
export function registerTfjsBackend(registry: KernelRegistry, priority = TFJS_PRIORITY): KernelRegistry {
  registry.registerBackend('tfjs', (options) => new TfjsBackend(options, priority), priority);
  return registerTfjsKernels(registry);
}
