import { describe, expect, it } from 'vitest';
import { PostgresMetaStore, type JobRecord } from '../src/index.js';
import { hasPostgres, startPostgres } from '@panel-lab/test-services';

// How many chunk-record writes and row-locked progress updates PostgreSQL takes per second from
// one process's pool (the distributed engine's hot path); printed, with a floor far below it.
describe.skipIf(!hasPostgres())('PostgreSQL store throughput', () => {
  it('measures chunk upserts and row-locked updates per second from one pool', async () => {
    const server = await startPostgres();
    const store = await PostgresMetaStore.open({ url: await server.database('throughput'), poolSize: 10 });
    try {
      const parent: JobRecord = { id: 'job_p', tenant: 't', kind: 'placebo', state: 'running', parentId: null, createdAt: new Date().toISOString(), startedAt: null, finishedAt: null, progress: { fraction: 0, step: 'x' }, error: null, attempts: 1, input: {}, notes: [] };
      await store.putJob(parent);
      const n = 2000;
      let t0 = performance.now();
      await Promise.all(Array.from({ length: n }, (_, k) => store.putJob({ ...parent, id: `job_p-c${k}`, parentId: 'job_p', kind: 'placebo-chunk', input: { chunkIndex: k } })));
      const writes = n / ((performance.now() - t0) / 1000);
      t0 = performance.now();
      await Promise.all(Array.from({ length: 500 }, (_, k) => store.updateJob('t', 'job_p', (j) => ({ ...j, progress: { ...j.progress, done: k } }))));
      const locked = 500 / ((performance.now() - t0) / 1000);
      const { loadavg } = await import('node:os');
      console.log(`store throughput: ${Math.round(writes)} chunk upserts/s, ${Math.round(locked)} row-locked updates/s of one row (load ${loadavg()[0]!.toFixed(1)})`);
      expect(writes).toBeGreaterThan(200);
      expect(locked).toBeGreaterThan(20);
    } finally {
      await store.close();
      await server.stop();
    }
  }, 60_000);
});
