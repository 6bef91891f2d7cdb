import type { AdapterInfo } from './backend.js';

/** Whether a WebGPU adapter exists in this Node process, and which. */
export interface WebGpuProbe {
  readonly available: boolean;
  readonly adapter?: AdapterInfo;
  /** The adapter's largest storage-buffer binding in bytes (128 MiB on lavapipe): bigger tensors fail. */
  readonly maxStorageBufferBindingSize?: number;
  /** The adapter's largest buffer in bytes. */
  readonly maxBufferSize?: number;
  /** The power preference asked for (tfjs-backend-webgpu asks the same, so both get this adapter). */
  readonly powerPreference?: GPUPowerPreference;
  /** True when the adapter is a software fallback (lavapipe, SwiftShader): correctness only, never a GPU figure. */
  readonly isFallbackAdapter?: boolean;
  /** Why not, when unavailable. */
  readonly reason?: string;
}

let probing: Promise<WebGpuProbe> | undefined;

/**
 * 'high-performance' picks the discrete GPU where an integrated or software adapter also answers;
 * PANEL_LAB_WEBGPU_POWER=low-power asks for the other one (tfjs reads WEBGPU_USE_LOW_POWER_GPU).
 */
export function webGpuPowerPreference(): GPUPowerPreference {
  return process.env.PANEL_LAB_WEBGPU_POWER === 'low-power' ? 'low-power' : 'high-performance';
}

/**
 * Puts Dawn's navigator.gpu (npm `webgpu`: create([]) + its globals) on globalThis once, then asks
 * for an adapter. Must run before tfjs-backend-webgpu or gpu.js look for navigator.gpu. Idempotent.
 * On a machine without a GPU, Mesa lavapipe (llvmpipe) is the adapter when installed.
 */
export function ensureWebGpu(): Promise<WebGpuProbe> {
  probing ??= probe();
  return probing;
}

async function probe(): Promise<WebGpuProbe> {
  try {
    const g = globalThis as { navigator?: { gpu?: GPU } };
    if (!g.navigator?.gpu) {
      const webgpu = await import('webgpu');
      Object.assign(globalThis, webgpu.globals);
      const gpu = webgpu.create([]);
      if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
      else g.navigator = { gpu };
    }
    const powerPreference = webGpuPowerPreference();
    const adapter = await g.navigator!.gpu!.requestAdapter({ powerPreference });
    if (!adapter) return Object.freeze({ available: false, reason: 'navigator.gpu.requestAdapter() returned null (no Vulkan/Metal/D3D adapter)' });
    const info = adapter.info;
    return Object.freeze({
      available: true,
      adapter: Object.freeze({ vendor: info.vendor, architecture: info.architecture, description: info.description }),
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
      powerPreference,
      isFallbackAdapter: Boolean((adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? (info as { isFallbackAdapter?: boolean }).isFallbackAdapter),
    });
  } catch (err) {
    return Object.freeze({ available: false, reason: `WebGPU unavailable: ${err instanceof Error ? err.message : String(err)}` });
  }
}

export async function hasWebGpu(): Promise<boolean> {
  return (await ensureWebGpu()).available;
}

/** CI sets REQUIRE_WEBGPU=1 where lavapipe is installed: a missing adapter must then fail tests, not skip them. */
export function webGpuRequired(): boolean {
  return process.env.REQUIRE_WEBGPU === '1';
}
