/**
 * Helper threads for feols's data passes. feols is synchronous (like fixest's C++), so the calling
 * thread hands each helper its share of a kernel, does share 0 itself and then blocks in
 * Atomics.wait until the helpers are done. Kernels are generated sources (demean-reduced-kernels.ts):
 * `sharedKernel` keeps a kernel's source so a helper can compile it once. Everything a helper reads or
 * writes lives in SharedArrayBuffers (checked: a plain typed array would be copied, and its writes lost).
 * A helper that fails or does not answer in time is stopped and replaced, and its share is computed
 * on the calling thread: slower, never wrong, never a hang.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

type Kernel = (...args: never[]) => void;

const sources = new WeakMap<Kernel, { key: string; params: readonly string[]; body: string }>();
let nextKey = 0;

/** `new Function(...params, body)`, remembered so helper threads can compile the same kernel. */
export function sharedKernel<F extends Kernel>(params: readonly string[], body: string): F {
  const f = new Function(...params, body) as F;
  sources.set(f, { key: `k${nextKey++}`, params, body });
  return f;
}

/** A typed array over shared memory (zero-filled), so helper threads see the same elements. */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * 8));
}
export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}

// A helper answers a task by writing its sequence number to done[slot] (failed[slot] = 1 if it threw):
// a late answer to an earlier task can then never pass for this one's. What it threw goes to its
// error port first, which the calling thread reads without returning to its event loop.
const WORKER_SOURCE = `const { parentPort, workerData } = require('node:worker_threads');
const compiled = new Map();
parentPort.on('message', (m) => {
  let failed = 0;
  try {
    let f = compiled.get(m.key);
    if (!f) { f = new Function(...m.params, m.body); compiled.set(m.key, f); }
    f(...m.args);
  } catch (error) {
    // the calling thread redoes the share (meeting the same error itself if it is the kernel's) and says why
    failed = 1;
    workerData.errors.postMessage(String((error && error.message) || error));
  }
  Atomics.store(m.failed, m.slot, failed);
  Atomics.store(m.done, m.slot, m.seq);
  Atomics.notify(m.done, m.slot);
});`;

/** How long a helper's share may take: generous against its own share's time on the calling thread. */
function patienceMs(ownShareMs: number): number {
  return 2000 + 50 * ownShareMs;
}

/** A helper thread and the port its errors come back on. */
interface Helper {
  readonly worker: Worker;
  readonly errors: MessagePort;
}

class HelperThreads {
  readonly #workers: Helper[] = [];
  readonly #done = new Int32Array(new SharedArrayBuffer(4 * 64));
  readonly #failed = new Int32Array(new SharedArrayBuffer(4 * 64));
  #seq = 0;
  #warned = false;

  get count(): number {
    return this.#workers.length;
  }

  grow(helpers: number): void {
    while (this.#workers.length < Math.min(helpers, 63)) this.#workers.push(startWorker());
  }

  /**
   * Runs kernel(...shares[0]) here and kernel(...shares[t]) on helper t (t ≥ 1); returns once every
   * share is done. `redo(t)` readies share t's outputs for a second run here (zeroing a partial sum)
   * when its helper failed.
   */
  run(kernel: Kernel, shares: readonly (readonly unknown[])[], redo: (t: number) => void = () => {}): void {
    this.alongside(kernel, shares.slice(1), () => (kernel as (...args: unknown[]) => void)(...shares[0]!), redo);
  }

  /**
   * Runs kernel(...helperShares[t - 1]) on helper t while `here` runs on this thread (other work, or
   * this thread's share); returns once all are done. `redo` as for `run`.
   */
  alongside(kernel: Kernel, helperShares: readonly (readonly unknown[])[], here: () => void, redo: (t: number) => void = () => {}): void {
    const source = sources.get(kernel);
    if (!source) throw new Error('helper threads: the kernel was not made by sharedKernel');
    const helpers = helperShares.length;
    if (helpers > this.#workers.length) throw new Error(`helper threads: ${helpers} shares for ${this.#workers.length} helpers`);
    for (const share of helperShares) {
      for (const a of share) {
        if (ArrayBuffer.isView(a) && !(a.buffer instanceof SharedArrayBuffer)) throw new Error('helper threads: every typed array a helper gets must be shared (sharedFloat64 / sharedInt32)');
      }
    }
    const seq = (this.#seq = (this.#seq + 1) | 0);
    for (let t = 1; t <= helpers; t++) {
      this.#workers[t - 1]!.worker.postMessage({ key: source.key, params: source.params, body: source.body, args: helperShares[t - 1], done: this.#done, failed: this.#failed, slot: t, seq });
    }
    const t0 = performance.now();
    try {
      here();
    } finally {
      // the helpers finish (or are stopped) before anything returns or throws: their outputs are the caller's
      const deadline = performance.now() + patienceMs(performance.now() - t0);
      for (let t = 1; t <= helpers; t++) {
        for (let seen = Atomics.load(this.#done, t); seen !== seq; seen = Atomics.load(this.#done, t)) {
          const left = deadline - performance.now();
          if (left <= 0) break;
          Atomics.wait(this.#done, t, seen, left);
        }
        if (Atomics.load(this.#done, t) !== seq || Atomics.load(this.#failed, t) !== 0) this.#recover(t, kernel, helperShares[t - 1]!, redo);
      }
    }
  }

  #recover(t: number, kernel: Kernel, share: readonly unknown[], redo: (t: number) => void): void {
    // stop the helper before touching its outputs, then do its share here
    const { worker, errors } = this.#workers[t - 1]!;
    const thrown = receiveMessageOnPort(errors)?.message as string | undefined;
    void worker.terminate();
    errors.close();
    this.#workers[t - 1] = startWorker();
    if (!this.#warned) {
      this.#warned = true;
      const what = thrown === undefined ? 'stalled' : `failed (${thrown})`;
      process.emitWarning(`a feols helper thread ${what}; its share of the work was redone on the calling thread`, { code: 'PANEL_LAB_HELPER_THREAD' });
    }
    redo(t);
    (kernel as (...args: unknown[]) => void)(...share);
  }
}

function startWorker(): Helper {
  const { port1: errors, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { errors: port2 }, transferList: [port2] });
  // an idle helper must not keep the process alive; a helper that dies is said so here, and the share
  // it held is redone by `alongside` when its answer does not come
  worker.unref();
  errors.unref();
  worker.on('error', (error) => process.emitWarning(`a feols helper thread stopped: ${error.message}`, { code: 'PANEL_LAB_HELPER_THREAD' }));
  return { worker, errors };
}

let pool: HelperThreads | undefined;

/**
 * The helpers for a run on `threads` threads in all (the calling one included), or null for one
 * thread. Started on first use and kept for the process.
 */
export function helperThreads(threads: number): HelperThreads | null {
  if (threads <= 1) return null;
  pool ??= new HelperThreads();
  pool.grow(threads - 1);
  return pool;
}

/** Default thread count: half the cores, as fixest's default; PANEL_LAB_FEOLS_THREADS overrides it. */
export function defaultThreads(): number {
  const env = process.env.PANEL_LAB_FEOLS_THREADS;
  if (env !== undefined && env !== '') {
    const v = Number(env);
    if (!Number.isInteger(v) || v < 1) throw new Error(`PANEL_LAB_FEOLS_THREADS must be a positive integer, got '${env}'`);
    return v;
  }
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

export type { HelperThreads };
