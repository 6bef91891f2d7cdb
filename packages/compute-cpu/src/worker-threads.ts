/**
 * node:worker_threads and the core count, for the threaded kernels. A runtime that is not
 * Node.js-compatible (a browser) has no worker threads: null, and callers run on one thread. In a
 * Node.js-compatible runtime the import must work; a failure there is a broken install or a
 * bundler that left the module out, and is reported rather than taken for "no threads".
 */

export interface WorkerThreads {
  readonly parallelism: number;
  readonly Worker: new (source: string, options: { eval: true }) => {
    once(event: 'message', listener: (value: Float64Array) => void): void;
    once(event: 'error', listener: (error: Error) => void): void;
    postMessage(value: unknown, transfer: ArrayBuffer[]): void;
    terminate(): Promise<number>;
  };
}

type Load = () => Promise<readonly [{ Worker: unknown }, { availableParallelism(): number }]>;

const loadNode: Load = () => Promise.all([import('node:worker_threads'), import('node:os')]);

/** The Node.js version of this runtime (Node, Deno and Bun all report one), undefined elsewhere. */
function nodeVersion(): string | undefined {
  return (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
}

/** Probes for worker threads; the runtime is a parameter so that both outcomes are testable. */
export async function probeWorkerThreads(runtime: { node: string | undefined; load: Load } = { node: nodeVersion(), load: loadNode }): Promise<WorkerThreads | null> {
  const { node, load } = runtime;
  if (node === undefined) return null;
  try {
    const [wt, os] = await load();
    return { Worker: wt.Worker as WorkerThreads['Worker'], parallelism: os.availableParallelism() };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`compute-cpu: node:worker_threads could not be loaded in Node.js ${node}: ${why}`, { cause: error });
  }
}

let probed: Promise<WorkerThreads | null> | undefined;
/** probeWorkerThreads, once per process. */
export function workerThreads(): Promise<WorkerThreads | null> {
  probed ??= probeWorkerThreads();
  return probed;
}
