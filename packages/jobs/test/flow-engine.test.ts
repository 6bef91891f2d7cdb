import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMpdta } from '@panel-lab/datasets';
import { runPlacebo, twfeArrays, type PlaceboResult } from '@panel-lab/resample';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJobSystem, PostgresMetaStore, startFlowWorker, type FlowJobs, type FlowWorker, type JobSystem, type MetaStore } from '../src/index.js';
import { hasPostgres, hasRedisServer as hasRedis, startPostgres, startRedis, type PostgresHandle } from '@panel-lab/test-services';

// The distributed engine in one process (two API-side systems, two flow workers) on a real Redis
// and PostgreSQL; apps/api's replicas test runs the same with real processes.
const missing = !hasPostgres() || !hasRedis();
if (missing) console.warn('distributed engine tests skipped: redis-server or PostgreSQL is not installed');

const placebo = (draws: number, chunkSize: number) => ({ dataset: { source: 'example', name: 'mpdta' }, outcome: 'lemp', cohort: 'first.treat', draws, chunkSize, seed: 7, se: false });

describe.skipIf(missing)('distributed engine: FlowJobs + FlowWorker on real Redis and PostgreSQL', () => {
  let pg: PostgresHandle;
  let redis: { url: string; stop(): Promise<void> };
  let dataDir: string;
  const systems: JobSystem[] = [];
  const workers: { flow: FlowWorker; store: MetaStore }[] = [];
  const queueName = `flows-${process.pid}`;

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
    dataDir = await mkdtemp(join(tmpdir(), 'panel-lab-flows-'));
    const storeUrl = await pg.database('flows');
    for (let i = 0; i < 2; i++) {
      systems.push(await openJobSystem({ dataDir, storeUrl, distributed: { redisUrl: redis.url, queueName, pollMs: 100, checkIntervalMs: 500, lostAfterMs: 1500, tenantTasks: 2 } }));
    }
    for (let i = 0; i < 2; i++) {
      const store = await PostgresMetaStore.open({ url: storeUrl, poolSize: 4 });
      const flow = startFlowWorker({ redisUrl: redis.url, queueName, dataDir, store, concurrency: 1, discoverMs: 200, lockDurationMs: 3000, stalledIntervalMs: 1000 });
      await flow.ready();
      workers.push({ flow, store });
    }
  }, 120_000);

  afterAll(async () => {
    for (const s of systems) await s.close();
    for (const w of workers) {
      await w.flow.close(true);
      await w.store.close();
    }
    await redis?.stop();
    await pg?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('a placebo flow submitted to one replica completes, seen from the other, equal to one process', async () => {
    const [a, b] = systems as [JobSystem, JobSystem];
    const job = await a.jobs.submitPlacebo('acme', placebo(3000, 500));
    const seen: string[] = [];
    const off = b.jobs.watch('acme', job.id, (j) => seen.push(j.state));
    const done = await b.jobs.waitFor('acme', job.id, 90_000);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    // the watcher (SSE's source) saw it run and finish, from the replica that did not take the submit
    await expect.poll(() => seen.at(-1), { timeout: 2000, interval: 50 }).toBe('succeeded');
    off();
    expect(seen).toContain('running');
    const children = await b.jobs.children('acme', job.id);
    expect(children.map((c) => c.state)).toEqual(Array(6).fill('succeeded'));
    const merged = JSON.parse(await readFile(join(a.dir.jobDir('acme', job.id), 'result.json'), 'utf8')) as PlaceboResult;
    const single = await runPlacebo(twfeArrays(await loadMpdta(), { outcome: 'lemp', cohort: 'first.treat' }), { seed: 7, draws: 3000, chunkSize: 500, se: false });
    expect(merged.draws.beta).toEqual(single.draws.beta);
    expect(done.progress.done).toBe(3000);
  }, 120_000);

  it('an analysis job runs on a worker, its report is on the shared disk, and a bad spec fails naming the cause', async () => {
    const [a, b] = systems as [JobSystem, JobSystem];
    const job = await a.jobs.submitAnalysis('acme', { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 'stats', estimator: 'describe' }] });
    const done = await b.jobs.waitFor('acme', job.id, 90_000);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.attempts).toBe(1);
    const { dir } = await b.jobs.resultDir('acme', job.id);
    expect(JSON.parse(await readFile(join(dir, 'result.json'), 'utf8'))).toHaveProperty('analyses');
    // passes the schema, fails when run: the job fails with the task's message, once
    const bad = await a.jobs.submitPlacebo('acme', { ...placebo(1000, 500), outcome: 'no_such_column' });
    const failed = await b.jobs.waitFor('acme', bad.id, 90_000);
    expect(failed.state).toBe('failed');
    expect(failed.error?.message).toMatch(/no_such_column/);
  }, 120_000);

  it('a cancel through the other replica stops the job; workers skip its remaining tasks', async () => {
    const [a, b] = systems as [JobSystem, JobSystem];
    const job = await a.jobs.submitPlacebo('acme', placebo(60_000, 2000));
    await expect.poll(async () => (await b.jobs.get('acme', job.id)).state, { timeout: 60_000, interval: 100 }).toBe('running');
    const cancelled = await b.jobs.cancel('acme', job.id);
    expect(cancelled.state).toBe('cancelled');
    await expect(a.jobs.cancel('acme', job.id)).rejects.toThrow(/already cancelled/);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await a.jobs.get('acme', job.id)).state).toBe('cancelled');
  }, 120_000);

  it("fairness: tenant B's small job finishes while tenant A's three 40-chunk jobs are still running", async () => {
    const [a, b] = systems as [JobSystem, JobSystem];
    const flood = await Promise.all([0, 1, 2].map(() => a.jobs.submitPlacebo('flood', placebo(40 * 400, 400))));
    await expect.poll(async () => (await a.jobs.get('flood', flood[0]!.id)).state, { timeout: 60_000, interval: 100 }).toBe('running');
    const small = await b.jobs.submitPlacebo('small', placebo(400, 400));
    const done = await b.jobs.waitFor('small', small.id, 60_000);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const states = await Promise.all(flood.map((j) => a.jobs.get('flood', j.id)));
    expect(states.filter((j) => j.state !== 'succeeded').length, 'the flood is not over when B is done').toBeGreaterThan(0);
    for (const j of flood) await a.jobs.cancel('flood', j.id).catch(() => undefined);
  }, 120_000);

  it("the tenant's running limit counts jobs, not tasks: two 20-chunk flows run, a third waits in the store until one ends", async () => {
    const [a, b] = systems as [JobSystem, JobSystem];
    // the default runningJobs is 2 (tenantTasks is 2 here: chunk tasks of the tenant computing at once)
    const jobs = [];
    for (let i = 0; i < 3; i++) jobs.push(await (i % 2 ? b : a).jobs.submitPlacebo('limit', placebo(20 * 100, 100)));
    expect(jobs.map((j) => j.awaitingSlot === true)).toEqual([false, false, true]);
    expect(jobs[2]!.progress.step).toBe("waiting for a running slot (2 of this tenant's jobs run; limit 2)");
    const deadline = Date.now() + 90_000;
    let admittedAfterAnEnd: boolean | null = null;
    while (Date.now() < deadline) {
      const third = await b.jobs.get('limit', jobs[2]!.id);
      if (!third.awaitingSlot) {
        // read after the third: once it left the store's waiting room, one of the first two had ended
        const first = await Promise.all(jobs.slice(0, 2).map((j) => a.jobs.get('limit', j.id)));
        admittedAfterAnEnd ??= first.some((j) => j.state === 'succeeded');
        // the other of the first two may still be running when the third ends: wait for all three
        if (third.state === 'succeeded' && first.every((j) => j.state === 'succeeded')) break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(admittedAfterAnEnd).toBe(true);
    const final = await Promise.all(jobs.map((j) => a.jobs.get('limit', j.id)));
    expect(final.map((j) => j.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(final[2]!.notes.join(' ')).toMatch(/a running slot of the tenant freed; handed to the queue/);
    expect((await a.jobs.children('limit', jobs[2]!.id)).length).toBe(20);
  }, 120_000);

  it('Redis memory of a waiting 1,000-chunk flow is bounded (ids-only payloads) and released by a cancel', async () => {
    const [a] = systems as [JobSystem, JobSystem];
    const client = new Redis(redis.url);
    const used = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]);
    const before = await used();
    const job = await a.jobs.submitPlacebo('mem', placebo(1000, 1));
    const loaded = await used();
    await a.jobs.cancel('mem', job.id);
    await new Promise((r) => setTimeout(r, 500));
    const after = await used();
    client.disconnect();
    const perChunk = (loaded - before) / 1000;
    console.log(`redis: a waiting 1000-chunk flow takes ${(loaded - before) / 1024 | 0} KiB (${perChunk | 0} B a chunk); ${(after - before) / 1024 | 0} KiB left after its cancel`);
    expect(perChunk).toBeLessThan(4096);
    expect(after - before).toBeLessThan((loaded - before) / 2);
  }, 60_000);

  it('a worker closed with force hands its running chunk back; a worker started afterwards finishes the job', async () => {
    // a deployment of its own (queue and store: the other systems' sweeps would re-add its job to their queue),
    // served by one worker at a time: which worker holds the chunk is certain
    const q = `${queueName}-handback`;
    const url = await pg.database('handback');
    const sys = await openJobSystem({ dataDir, storeUrl: url, distributed: { redisUrl: redis.url, queueName: q, pollMs: 100, checkIntervalMs: 0 } });
    const worker = async (logs: Record<string, unknown>[]) => {
      const store = await PostgresMetaStore.open({ url, poolSize: 4 });
      const flow = startFlowWorker({ redisUrl: redis.url, queueName: q, dataDir, store, concurrency: 1, discoverMs: 100, logger: { log: (_l, message, fields) => logs.push({ message, ...fields }) } });
      return { flow, store };
    };
    const first: Record<string, unknown>[] = [];
    const leaving = await worker(first);
    try {
      const job = await sys.jobs.submitPlacebo('handback', placebo(8000, 4000));
      await leaving.flow.ready();
      await expect.poll(() => first.some((l) => l.message === 'task started' && l.jobId === job.id), { timeout: 30_000, interval: 20 }).toBe(true);
      await leaving.flow.close(true);
      expect(first.map((l) => l.message)).toContain('task handed back to the queue');
      const second: Record<string, unknown>[] = [];
      const next = await worker(second);
      await next.flow.ready();
      const done = await sys.jobs.waitFor('handback', job.id, 90_000);
      await next.flow.close();
      await next.store.close();
      expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
      expect(second.filter((l) => l.message === 'task done' && l.type === 'placebo-chunk').length).toBeGreaterThanOrEqual(1);
    } finally {
      await leaving.store.close();
      await sys.close();
    }
  }, 120_000);

  it('tasks lost with Redis data are added again by the sweep and the job completes', async () => {
    const [a] = systems as [JobSystem, JobSystem];
    const client = new Redis(redis.url);
    const job = await a.jobs.submitPlacebo('zeta', placebo(2000, 1000));
    await client.flushall();
    const done = await a.jobs.waitFor('zeta', job.id, 90_000);
    client.disconnect();
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.notes.join(' ')).toMatch(/vanished from the job queue.*added again/);
    // the sweep forgets a job once it is no longer active (its next round)
    await expect.poll(() => (a.jobs as FlowJobs).memoryStats().suspect, { timeout: 5000, interval: 100 }).toBe(0);
  }, 120_000);
});
