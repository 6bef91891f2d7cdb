import type { KernelRegistry } from '@panel-lab/compute';
import { GPUJS_PRIORITY, GpujsBackend } from './backend.js';
import { registerGpujsKernels } from './kernels.js';

/** Registers the gpu.js backend factory and its kernels in a registry instance. */
export function registerGpujsBackend(registry: KernelRegistry, priority = GPUJS_PRIORITY): KernelRegistry {
  registry.registerBackend('gpujs', (options) => new GpujsBackend(options, priority), priority);
  return registerGpujsKernels(registry);
}
