import type * as TfCore from '@tensorflow/tfjs-core';
import { ensureWebGpu, type AdapterInfo, type Fallback } from '@panel-lab/compute';

export type TfjsDevice = 'webgpu' | 'wasm' | 'cpu';

export interface TfjsInitOptions {
  backend: TfjsDevice;
  /** Try the next device (webgpu -> wasm -> cpu) when the one asked for cannot start. Default false. */
  allowFallback?: boolean;
}

export interface TfjsHandle {
  tf: typeof TfCore;
  /** The tfjs backend really active (tf.getBackend()). */
  backend: TfjsDevice;
  fallbacks: Fallback[];
  adapter?: AdapterInfo;
}

const ORDER: readonly TfjsDevice[] = ['webgpu', 'wasm', 'cpu'];

let tfModule: Promise<typeof TfCore> | undefined;
const registered = new Map<TfjsDevice, Promise<string | undefined>>();

function loadTf(): Promise<typeof TfCore> {
  tfModule ??= import('@tensorflow/tfjs-core');
  return tfModule;
}

/** Imports the backend module once (registration is a side effect of tfjs backend modules). Returns a failure reason. */
function registerDevice(device: TfjsDevice): Promise<string | undefined> {
  let p = registered.get(device);
  if (!p) {
    p = (async () => {
      try {
        if (device === 'webgpu') {
          const probe = await ensureWebGpu(); // navigator.gpu must exist before the webgpu backend is imported
          if (!probe.available) return probe.reason ?? 'no WebGPU adapter';
          await import('@tensorflow/tfjs-backend-webgpu');
        } else if (device === 'wasm') {
          await import('@tensorflow/tfjs-backend-wasm');
        } else {
          await import('@tensorflow/tfjs-backend-cpu');
        }
        return undefined;
      } catch (err) {
        return `importing the tfjs ${device} backend failed: ${err instanceof Error ? err.message : String(err)}`;
      }
    })();
    registered.set(device, p);
  }
  return p;
}

/** Serialises initTfjs calls: the tfjs engine is one global per process. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Sets up tfjs-core on the asked device and verifies that tf.getBackend() really is that device
 * (tfjs silently falls back, e.g. wasm -> cpu: detected and recorded here). Idempotent: a second call
 * with the same device returns at once. Throws when the device cannot start and allowFallback is false.
 */
export function initTfjs(options: TfjsInitOptions): Promise<TfjsHandle> {
  const run = queue.then(() => initTfjsNow(options));
  queue = run.catch(() => undefined);
  return run;
}

async function initTfjsNow(options: TfjsInitOptions): Promise<TfjsHandle> {
  const { backend: asked, allowFallback = false } = options;
  const start = ORDER.indexOf(asked);
  if (start < 0) throw new Error(`initTfjs: option 'backend' must be webgpu, wasm or cpu, got '${String(asked)}'`);
  const tf = await loadTf();
  const fallbacks: Fallback[] = [];
  const candidates = allowFallback ? ORDER.slice(start) : [asked];
  for (const device of candidates) {
    const reason = (await registerDevice(device)) ?? (await activate(tf, device));
    if (reason === undefined) {
      const adapter = device === 'webgpu' ? (await ensureWebGpu()).adapter : undefined;
      return { tf, backend: device, fallbacks, ...(adapter ? { adapter } : {}) };
    }
    fallbacks.push({ from: `tfjs:${device}`, reason });
    if (!allowFallback) throw new Error(`initTfjs: tfjs backend '${device}' cannot start: ${reason}`);
    console.warn(`initTfjs: tfjs backend '${device}' cannot start (${reason}); trying the next one`);
  }
  throw new Error(`initTfjs: no tfjs backend could start: ${fallbacks.map((f) => `${f.from}: ${f.reason}`).join('; ')}`);
}

async function activate(tf: typeof TfCore, device: TfjsDevice): Promise<string | undefined> {
  try {
    if (tf.getBackend() !== device || !tf.findBackend(device)) {
      const ok = await tf.setBackend(device);
      if (!ok) return `tf.setBackend('${device}') returned false`;
    }
    await tf.ready();
    const active = tf.getBackend();
    if (active !== device) return `tfjs switched to '${active}' instead of '${device}'`;
    return undefined;
  } catch (err) {
    return `tf.setBackend('${device}') threw: ${err instanceof Error ? err.message : String(err)}`;
  }
}
