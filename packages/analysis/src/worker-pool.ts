/**
 * Runs a spec's analyses on worker threads (each reads the frame the main thread shared), handing out one analysis
 * at a time, heaviest estimators first so the last one to finish is short. Records come back in
 * spec order whatever the schedule: every analysis derives its seed from its id, so the numbers
 * are those of the sequential run.
 */
import { Worker } from 'node:worker_threads';
import { failedRecord, RunCancelledError, type AnalysisRecord } from './execute.js';
import { describeFailure } from './failure.js';
import type { ProgressUpdate } from './handler.js';
import type { RunSpec } from './spec.js';
import type { WorkerInput } from './run-worker.js';

/** Relative cost of the estimators that dominate a run (others count 0): only the order uses it. */
const HEAVY: Readonly<Record<string, number>> = { ann_net_effect: 4, ann_vs_ols: 3, mechanism: 2, honest_did: 1, callaway_santanna: 1, cs_placebo: 1, placebo: 1, synthdid: 1 };

/** Expected share of a run's time per analysis, for the overall progress of a parallel run (rough). */
export function costWeight(estimator: string): number {
  return 1 + 10 * (HEAVY[estimator] ?? 0);
}

export function dispatchOrder(spec: RunSpec): number[] {
  return spec.analyses.map((a, i) => ({ i, w: HEAVY[a.estimator] ?? 0 })).sort((a, b) => b.w - a.w || a.i - b.i).map((x) => x.i);
}

type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; index: number; update: ProgressUpdate }
  | { type: 'done'; index: number; record?: AnalysisRecord; crash?: string };

export interface PoolOptions {
  readonly spec: RunSpec;
  readonly input: WorkerInput;
  readonly workers: number;
  readonly signal?: AbortSignal | undefined;
  readonly onStart: (index: number) => void;
  readonly onProgress: (index: number, update: ProgressUpdate) => void;
  readonly onDone: (index: number, record: AnalysisRecord) => void;
}

export function runInWorkers(o: PoolOptions): Promise<AnalysisRecord[]> {
  const queue = dispatchOrder(o.spec);
  const records: AnalysisRecord[] = new Array(o.spec.analyses.length);
  let remaining = queue.length;
  const live = new Set<Worker>();
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      o.signal?.removeEventListener('abort', onAbort);
      if (error) {
        for (const w of live) void w.terminate();
        return reject(error);
      }
      // Done: the workers end on their own (stop closes their port), so none is torn down mid-call.
      void Promise.all([...live].map((w) => stopGracefully(w))).then(() => resolve(records));
    };
    const onAbort = () => finish(new RunCancelledError());
    o.signal?.addEventListener('abort', onAbort);
    const record = (index: number, r: AnalysisRecord) => {
      records[index] = r;
      o.onDone(index, r);
      if (--remaining === 0) finish();
    };
    const crashed = (index: number, why: string) => {
      const entry = o.spec.analyses[index]!;
      record(index, failedRecord(entry, describeFailure(new Error(`the worker thread running it failed: ${why}`), entry, index), 0));
    };
    const spawn = () => {
      const worker = new Worker(new URL('./run-worker-entry.mjs', import.meta.url), { workerData: o.input });
      live.add(worker);
      let current: number | null = null;
      let ready = false;
      const next = () => {
        const index = queue.shift();
        if (index === undefined) {
          current = null;
          worker.postMessage({ stop: true });
          return;
        }
        current = index;
        o.onStart(index);
        worker.postMessage({ run: index });
      };
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') return void ((ready = true), next());
        if (m.type === 'progress') return o.onProgress(m.index, m.update);
        if (m.record) record(m.index, m.record);
        else crashed(m.index, m.crash ?? 'no record');
        if (!settled) next();
      });
      worker.on('error', (error) => {
        live.delete(worker);
        // Before its first analysis the worker failed on the dataset itself: the run fails as a sequential one would.
        if (!ready) return finish(error);
        if (current !== null) crashed(current, error.message);
        if (!settled && queue.length > 0) spawn();
      });
      worker.on('exit', () => live.delete(worker));
    };
    for (let k = 0; k < Math.min(o.workers, queue.length); k++) spawn();
  });
}

/** How long a worker told to stop may take to exit before it is terminated (it holds no work by then). */
const STOP_GRACE_MS = 5_000;

function stopGracefully(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.postMessage({ stop: true });
  });
}
