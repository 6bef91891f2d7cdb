import { ComputeConfig, KernelRegistry, createComputeContext, type ComputeContext } from '@panel-lab/compute';
import { registerCpuBackend } from '@panel-lab/compute-cpu';

/** A compute context on the float64 cpu backend (the composition root of these tests). */
export function cpuContext(): Promise<ComputeContext> {
  const registry = registerCpuBackend(new KernelRegistry());
  return createComputeContext(new ComputeConfig({ backend: 'cpu' }), registry);
}
