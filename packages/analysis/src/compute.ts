import { ComputeConfig, KernelRegistry, createComputeContext, type ComputeContext } from '@panel-lab/compute';
import { registerCpuBackend } from '@panel-lab/compute-cpu';
import { registerGpujsBackend } from '@panel-lab/compute-gpujs';
import { registerTfjsBackend } from '@panel-lab/compute-tfjs';
import type { AnalysisContext } from './handler.js';

/**
 * The compute context an analysis's batched kernels run on, from the spec's backend choice.
 * The runner is the composition root shared by the CLI, the API and the workers: it registers the
 * backends; estimators only see the context, and copy its meta (what really ran) into results.
 */
export async function computeContextFor(backend: AnalysisContext['backend']): Promise<ComputeContext> {
  const registry = registerCpuBackend(new KernelRegistry());
  if (backend.name === 'tfjs') registerTfjsBackend(registry);
  if (backend.name === 'gpujs') registerGpujsBackend(registry);
  const config = new ComputeConfig({
    backend: backend.name,
    ...(backend.device ? { device: backend.device } : {}),
    allowFallback: backend.allowFallback,
  });
  return createComputeContext(config, registry);
}
