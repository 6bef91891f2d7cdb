// Compute contexts of the GPU suites: every backend the issue compares (cpu f64 = the same machine's CPU backend,
// tfjs and gpu.js on WebGPU), created once per process (tfjs has one engine per process: wasm before webgpu).
import { ComputeConfig, KernelRegistry, createComputeContext, ensureWebGpu, type ComputeContext } from '@panel-lab/compute';
import { registerCpuBackend } from '@panel-lab/compute-cpu';
import { registerGpujsBackend } from '@panel-lab/compute-gpujs';
import { registerTfjsBackend } from '@panel-lab/compute-tfjs';

export interface Target {
  readonly backend: 'cpu' | 'tfjs' | 'gpujs';
  readonly device?: 'wasm' | 'webgpu' | 'webasm';
}
export const label = (t: Target) => (t.device ? `${t.backend}:${t.device}` : t.backend);

export const CPU: Target = { backend: 'cpu' };
export const GPU_TARGETS: readonly Target[] = [
  { backend: 'tfjs', device: 'webgpu' },
  { backend: 'gpujs', device: 'webgpu' },
];

export const webgpu = await ensureWebGpu();
export const registry = registerGpujsBackend(registerTfjsBackend(registerCpuBackend(new KernelRegistry())));
const contexts = new Map<string, Promise<ComputeContext>>();

export function context(t: Target): Promise<ComputeContext> {
  let ctx = contexts.get(label(t));
  if (!ctx) {
    ctx = createComputeContext(new ComputeConfig({ ...t, allowFallback: false }), registry);
    contexts.set(label(t), ctx);
  }
  return ctx;
}

/** The targets that can run here: cpu always, webgpu ones only where an adapter answers. */
export function targets(): Target[] {
  return [CPU, ...(webgpu.available ? GPU_TARGETS : [])];
}

export function ranOn(ctx: ComputeContext): string {
  return ctx.meta.device === ctx.meta.backend ? ctx.meta.backend : `${ctx.meta.backend}:${ctx.meta.device}`;
}

/** Adapter facts every GPU row carries (lavapipe = software: not a GPU figure). */
export function adapterFacts(ctx: ComputeContext): Record<string, unknown> {
  if (ctx.meta.device !== 'webgpu') return {};
  return { adapter: ctx.meta.adapter?.description ?? null, adapter_vendor: ctx.meta.adapter?.vendor ?? null, software_adapter: webgpu.isFallbackAdapter ?? null, binding_limit_bytes: Math.min(webgpu.maxStorageBufferBindingSize ?? Infinity, webgpu.maxBufferSize ?? Infinity) };
}
