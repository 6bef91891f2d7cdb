import { ensureWebGpu, webGpuRequired, type WebGpuProbe } from '@panel-lab/compute';

export interface WebGpuGate {
  /** Why WebGPU tests are skipped; undefined when they run. */
  readonly skipReason: string | undefined;
  readonly probe: WebGpuProbe;
}

/**
 * Decides whether WebGPU tests run: they run when an adapter exists, and also when REQUIRE_WEBGPU=1
 * (CI with lavapipe), where a missing adapter must fail the tests instead of skipping them.
 */
export async function webGpuGate(): Promise<WebGpuGate> {
  const probe = await ensureWebGpu();
  if (probe.available || webGpuRequired()) return { skipReason: undefined, probe };
  return { skipReason: `no WebGPU adapter (${probe.reason ?? 'unknown'}); set REQUIRE_WEBGPU=1 to make this a failure`, probe };
}
