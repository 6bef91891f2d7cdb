import { describe, expect, it } from 'vitest';
import { probeWorkerThreads, workerThreads } from '../src/worker-threads.js';

describe('probeWorkerThreads', () => {
  it('finds worker threads and the core count in Node.js', async () => {
    const wt = await workerThreads();
    expect(wt).not.toBeNull();
    expect(wt!.parallelism).toBeGreaterThanOrEqual(1);
  });

  it('is null, without importing anything, where the runtime is not Node.js-compatible', async () => {
    let loaded = false;
    const load = async () => {
      loaded = true;
      throw new Error('not reached');
    };
    await expect(probeWorkerThreads({ node: undefined, load })).resolves.toBeNull();
    expect(loaded).toBe(false);
  });

  it('reports a failed import in Node.js instead of taking it for "no threads"', async () => {
    const load = () => Promise.reject(new Error("Cannot find module 'node:worker_threads'"));
    await expect(probeWorkerThreads({ node: '22.0.0', load })).rejects.toThrow("compute-cpu: node:worker_threads could not be loaded in Node.js 22.0.0: Cannot find module 'node:worker_threads'");
  });
});
