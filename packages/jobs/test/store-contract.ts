import { describe, expect, it } from 'vitest';
import type { DatasetRecord, JobRecord, MetaStore } from '../src/index.js';

const job = (over: Partial<JobRecord> & Pick<JobRecord, 'id'>): JobRecord => ({
  tenant: 'acme',
  kind: 'analysis',
  state: 'queued',
  parentId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  progress: { fraction: 0, step: 'queued' },
  error: null,
  attempts: 0,
  input: { draws: 10, nested: { a: [1, 2.5, 'x'] } },
  notes: [],
  ...over,
});

const dataset = (id: string, tenant: string, createdAt: string): DatasetRecord => ({
  id,
  tenant,
  name: id,
  format: 'csv',
  unit: 'city',
  time: 'year',
  categorical: [],
  bytes: 10,
  rows: 2,
  createdAt,
  file: `tenants/${tenant}/datasets/${id}.csv`,
  origin: { kind: 'upload' },
});

/**
 * The one contract every MetaStore keeps, run against each implementation. `open` gives a fresh,
 * empty store; `openPeer` (where the store serves several processes) a second handle on the same data.
 */
export function storeContract(name: string, open: () => Promise<{ store: MetaStore; openPeer?: () => Promise<MetaStore> }>): void {
  describe(`MetaStore contract: ${name}`, () => {
    it('keys: only hashes, tenant lookup, unknown keys null and not cached', async () => {
      const { store } = await open();
      try {
        await store.putApiKey('key-0001-aaaaaaaaaaaa', 'acme', 'ci');
        expect(store.cachedTenantOfKey('key-0001-aaaaaaaaaaaa')).toBeUndefined();
        expect(await store.tenantOfKey('key-0001-aaaaaaaaaaaa')).toBe('acme');
        expect(store.cachedTenantOfKey('key-0001-aaaaaaaaaaaa')).toBe('acme');
        expect(await store.tenantOfKey('nope-nope-nope-nope')).toBeNull();
        expect(store.cachedTenantOfKey('nope-nope-nope-nope')).toBeUndefined();
        await store.putApiKey('key-0001-aaaaaaaaaaaa', 'other');
        expect(await store.tenantOfKey('key-0001-aaaaaaaaaaaa')).toBe('other');
      } finally {
        await store.close();
      }
    });

    it('datasets: per tenant, oldest first, counted, deleted', async () => {
      const { store } = await open();
      try {
        await store.putDataset(dataset('ds_b', 'acme', '2026-01-02'));
        await store.putDataset(dataset('ds_a', 'acme', '2026-01-01'));
        await store.putDataset(dataset('ds_c', 'zeta', '2026-01-01'));
        expect((await store.listDatasets('acme')).map((d) => d.id)).toEqual(['ds_a', 'ds_b']);
        expect(await store.getDataset('zeta', 'ds_a')).toBeNull();
        expect(await store.getDataset('acme', 'ds_a')).toEqual(dataset('ds_a', 'acme', '2026-01-01'));
        expect(await store.countDatasets('acme')).toBe(2);
        await store.deleteDataset('zeta', 'ds_a'); // another tenant's delete does nothing
        await store.deleteDataset('acme', 'ds_b');
        expect(await store.countDatasets('acme')).toBe(1);
      } finally {
        await store.close();
      }
    });

    it('jobs: round trip, tenant isolation, top-level lists, children, states, delete with children', async () => {
      const { store } = await open();
      try {
        const a = job({ id: 'job_a', createdAt: '2026-01-01T00:00:02Z' });
        const b = job({ id: 'job_b', createdAt: '2026-01-01T00:00:01Z', state: 'running', kind: 'placebo' });
        const c = job({ id: 'job_c', tenant: 'zeta', state: 'succeeded' });
        await Promise.all([a, b, c].map((j) => store.putJob(j)));
        for (const k of [1, 0]) await store.putJob(job({ id: `job_b-c0000${k}`, parentId: 'job_b', kind: 'placebo-chunk', state: 'running', input: { chunkIndex: k } }));
        expect(await store.getJob('acme', 'job_a')).toEqual(a);
        expect(await store.getJob('zeta', 'job_a')).toBeNull();
        expect((await store.listJobs('acme')).map((j) => j.id)).toEqual(['job_b', 'job_a']);
        expect((await store.childJobs('job_b')).map((j) => j.id)).toEqual(['job_b-c00000', 'job_b-c00001']);
        expect((await store.jobsInStates(['running'])).map((j) => j.id)).toEqual(['job_b']);
        expect((await store.activeJobsOf('acme')).map((j) => j.id).sort()).toEqual(['job_a', 'job_b']);
        expect(await store.activeJobsOf('zeta')).toEqual([]);
        await store.deleteJob('zeta', 'job_b'); // not zeta's
        expect(await store.getJob('acme', 'job_b')).not.toBeNull();
        await store.deleteJob('acme', 'job_b');
        expect(await store.getJob('acme', 'job_b')).toBeNull();
        expect(await store.childJobs('job_b')).toEqual([]);
      } finally {
        await store.close();
      }
    });

    it('a finished top-level job is never overwritten by putJob; chunk children are', async () => {
      const { store } = await open();
      try {
        expect(await store.putJob(job({ id: 'job_x', state: 'running' }))).toBe(true);
        expect(await store.putJob(job({ id: 'job_x', state: 'cancelled' }))).toBe(true);
        expect(await store.putJob(job({ id: 'job_x', state: 'running', progress: { fraction: 0.5, step: 'late' } }))).toBe(false);
        expect(await store.putJob(job({ id: 'job_x', state: 'succeeded' }))).toBe(false);
        expect((await store.getJob('acme', 'job_x'))?.state).toBe('cancelled');
        await store.putJob(job({ id: 'job_x-c00000', parentId: 'job_x', state: 'cancelled' }));
        expect(await store.putJob(job({ id: 'job_x-c00000', parentId: 'job_x', state: 'running' }))).toBe(true);
      } finally {
        await store.close();
      }
    });

    it('updateJob: atomic read-modify-write (no lost update among concurrent writers), null for an unknown job', async () => {
      const { store, openPeer } = await open();
      const peer = openPeer ? await openPeer() : null;
      try {
        await store.putJob(job({ id: 'job_n' }));
        expect(await store.updateJob('acme', 'job_zz', (j) => j)).toBeNull();
        expect(await store.updateJob('zeta', 'job_n', (j) => j)).toBeNull();
        expect(await store.updateJob('acme', 'job_n', () => null)).toEqual({ job: job({ id: 'job_n' }), changed: false });
        const bump = (s: MetaStore) => s.updateJob('acme', 'job_n', (j) => ({ ...j, attempts: j.attempts + 1, notes: [...j.notes, `n${j.attempts}`] }));
        const writers = [store, ...(peer ? [peer] : [])];
        await Promise.all(Array.from({ length: 40 }, (_, i) => bump(writers[i % writers.length]!)));
        const after = await store.getJob('acme', 'job_n');
        expect(after?.attempts).toBe(40);
        expect(after?.notes).toEqual(Array.from({ length: 40 }, (_, i) => `n${i}`));
      } finally {
        await peer?.close();
        await store.close();
      }
    });

    it('a closed store refuses further calls', async () => {
      const { store } = await open();
      await store.close();
      await expect(store.getJob('acme', 'job_a')).rejects.toThrow(/closed/);
    });
  });
}
