/** Built-in backend names; plug-ins (e.g. an opt-in 'tensorflow' backend) use any other string. */
export type BackendName = 'cpu' | 'tfjs' | 'gpujs' | (string & {});

/** A backend that was asked for and could not be used, and why. */
export interface Fallback {
  readonly from: string;
  readonly reason: string;
  /** Set when only one kernel was forwarded (kernel missing on the backend, or below the size threshold). */
  readonly kernel?: string;
}

export interface AdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
}

/**
 * One compute backend (CONVENTIONS.md B). A backend instance is made by a factory registered in a
 * KernelRegistry; init() says whether it can run here (false, or a thrown Error with the reason).
 */
export interface Backend {
  readonly name: BackendName;
  readonly priority: number;
  readonly floatPrecision: 32 | 64;
  /** The device that really runs the kernels once init() succeeded ('cpu', 'webgpu', 'wasm', 'webasm', ...). */
  readonly device: string;
  /** Fallbacks taken inside the backend during init (e.g. tfjs webgpu -> wasm). */
  readonly fallbacks?: readonly Fallback[];
  readonly adapter?: AdapterInfo;
  /** Why init() returned false (shown in errors and in meta.fallbacks). */
  readonly initFailure?: string;
  init(): Promise<boolean>;
  dispose(): Promise<void>;
  /** Live device buffers / tensors owned by this backend: equal before and after a kernel, or it leaks. */
  liveBuffers(): number;
}

/** What a backend factory receives: the device asked for and whether device fallback is allowed. */
export interface BackendOptions {
  readonly device?: string;
  readonly allowFallback: boolean;
}

export type BackendFactory = (options: BackendOptions) => Backend;
