import type { BackendName } from './backend.js';

/** Devices each built-in backend can run on (plug-in backends accept any device string). */
export const BACKEND_DEVICES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  cpu: Object.freeze(['cpu']),
  tfjs: Object.freeze(['webgpu', 'wasm', 'cpu']),
  gpujs: Object.freeze(['webgpu', 'webasm']),
});

/** Precision each built-in backend computes in: tfjs and gpu.js have no float64 at all. */
const BACKEND_PRECISION: Readonly<Record<string, 32 | 64>> = { cpu: 64, tfjs: 32, gpujs: 32 };

export interface ComputeConfigOptions {
  /** 'auto' tries every registered backend by priority. */
  backend: BackendName | 'auto';
  device?: string;
  precision?: 32 | 64;
  /** Use another device/backend (recorded in meta) when the one asked for cannot start. Default false. */
  allowFallback?: boolean;
  /** Kernels whose inputs hold fewer values than this run on cpu instead (recorded in meta). Default 0. */
  cpuThreshold?: number;
}

const ALLOWED = ['backend', 'device', 'precision', 'allowFallback', 'cpuThreshold'] as const;

/**
 * The backend choice as a frozen, validated value object (pyfixest demeaners.py): invalid
 * combinations throw here, at construction, not deep inside a kernel.
 */
export class ComputeConfig {
  readonly backend: BackendName | 'auto';
  readonly device: string | undefined;
  readonly precision: 32 | 64 | undefined;
  readonly allowFallback: boolean;
  readonly cpuThreshold: number;

  constructor(options: ComputeConfigOptions) {
    if (!options || typeof options !== 'object') throw new TypeError('ComputeConfig: options must be an object');
    for (const key of Object.keys(options)) {
      if (!(ALLOWED as readonly string[]).includes(key)) {
        throw new Error(`ComputeConfig: unknown option '${key}'; allowed: ${ALLOWED.join(', ')}`);
      }
    }
    const { backend, device, precision, allowFallback = false, cpuThreshold = 0 } = options;
    if (typeof backend !== 'string' || backend.length === 0) throw new Error(`ComputeConfig: option 'backend' must be a non-empty string`);
    const devices = BACKEND_DEVICES[backend];
    if (device !== undefined) {
      if (backend === 'auto') throw new Error(`ComputeConfig: option 'device' needs a named backend, not 'auto'`);
      if (devices && !devices.includes(device)) {
        throw new Error(`ComputeConfig: backend '${backend}' has no device '${device}'; allowed: ${devices.join(', ')}`);
      }
    }
    if (precision !== undefined && precision !== 32 && precision !== 64) {
      throw new Error(`ComputeConfig: option 'precision' must be 32 or 64, got ${String(precision)}`);
    }
    const native = BACKEND_PRECISION[backend];
    if (precision !== undefined && native !== undefined && precision !== native) {
      throw new Error(
        `ComputeConfig: backend '${backend}' computes in float${native} only; precision ${precision} is not available` +
          (native === 32 ? ' (WGSL, tfjs and gpu.js have no float64; use backend cpu)' : ''),
      );
    }
    if (typeof allowFallback !== 'boolean') throw new Error(`ComputeConfig: option 'allowFallback' must be a boolean`);
    if (!Number.isFinite(cpuThreshold) || cpuThreshold < 0) {
      throw new Error(`ComputeConfig: option 'cpuThreshold' must be a non-negative number, got ${cpuThreshold}`);
    }
    this.backend = backend;
    this.device = device;
    this.precision = precision;
    this.allowFallback = allowFallback;
    this.cpuThreshold = cpuThreshold;
    Object.freeze(this);
  }

  toJSON(): ComputeConfigOptions {
    return {
      backend: this.backend,
      ...(this.device !== undefined ? { device: this.device } : {}),
      ...(this.precision !== undefined ? { precision: this.precision } : {}),
      allowFallback: this.allowFallback,
      cpuThreshold: this.cpuThreshold,
    };
  }
}
