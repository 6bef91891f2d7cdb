import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FairQueue } from '../src/fair-queue.js';
import { forEachLimited } from '../src/limited.js';
import { LimitError, openJobSystem, type JobSystem, type TaskResult } from '../src/index.js';
import { HeldExecutor, until } from './held-executor.js';

const bigPlacebo = { dataset: { source: 'example', name: 'mpdta' }, outcome: 'lemp', cohort: 'first.treat', draws: 100_000, chunkSize: 1000 };
const smallAnalysis = { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 'stats', estimator: 'describe' }] };
const fakeChunk = (n: number) => ({ beta: new Array<number>(n).fill(0) }) as unknown as TaskResult;

async function withSystem(options: Partial<Parameters<typeof openJobSystem>[0]>, body: (sys: JobSystem, executor: HeldExecutor) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'panel-lab-fair-'));
  const executor = new HeldExecutor();
  const sys = await openJobSystem({ dataDir, executor, ...options });
  try {
    await body(sys, executor);
  } finally {
    await sys.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

describe('FairQueue', () => {
  it('serves tenants in turn, skips a tenant at its limit, and keeps no empty entries', () => {
    const q = new FairQueue();
    for (const id of ['a1', 'a2', 'a3']) q.push('a', id);
    q.push('b', 'b1');
    expect(q.take(() => true)).toEqual({ tenant: 'a', id: 'a1' });
    expect(q.take(() => true)).toEqual({ tenant: 'b', id: 'b1' });
    expect(q.take((t) => t !== 'a')).toBeNull();
    expect(q.remove('a', 'a2')).toBe(true);
    expect(q.remove('a', 'nope')).toBe(false);
    expect(q.take(() => true)).toEqual({ tenant: 'a', id: 'a3' });
    expect([q.size, q.tenants]).toEqual([0, 0]);
  });
});

describe('forEachLimited', () => {
  it('keeps at most `limit` in flight and stops starting new work after a failure', async () => {
    let inFlight = 0;
    let peak = 0;
    const started: number[] = [];
    let aborted = false;
    const run = forEachLimited([0, 1, 2, 3, 4, 5, 6, 7], 3, async (k) => {
      started.push(k);
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      if (k === 4) throw new Error('chunk 4 failed');
    }, () => (aborted = true));
    await expect(run).rejects.toThrow('chunk 4 failed');
    expect(peak).toBe(3);
    expect(aborted).toBe(true);
    expect(started.length).toBeLessThan(8);
  });

  it('reports every failure: one as it is, several as an AggregateError, first failure first', async () => {
    const one = forEachLimited([0, 1], 2, async (k) => {
      if (k === 1) throw new Error('only 1 failed');
    });
    await expect(one).rejects.toThrow(/^only 1 failed$/);
    // both lanes are in flight when the first fails; the second's failure is kept too
    const both = forEachLimited([0, 1, 2], 2, async (k) => {
      await new Promise((r) => setTimeout(r, k === 0 ? 1 : 10));
      throw new Error(`item ${k} failed`);
    });
    const error = await both.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateError);
    const agg = error as AggregateError;
    expect(agg.errors.map((e: Error) => e.message)).toEqual(['item 0 failed', 'item 1 failed']);
    expect(agg.message).toBe('2 of 3 items failed: item 0 failed; item 1 failed');
    expect((agg.cause as Error).message).toBe('item 0 failed');
  });
});

describe('per-tenant fairness (held executor)', () => {
  it("tenant A's big jobs hold at most its own running slots; tenant B's small job starts at once", async () => {
    await withSystem({ maxRunning: 4, limits: { runningJobs: 2 } }, async (sys, executor) => {
      const a = [];
      for (let i = 0; i < 4; i++) a.push(await sys.jobs.submitPlacebo('a', bigPlacebo));
      await until(() => executor.holding.length === 4, 5000, "A's first chunk tasks");
      // two of A's jobs run, two chunks each (bounded fan-out); the other two wait
      const states = await Promise.all(a.map(async (j) => (await sys.jobs.get('a', j.id)).state));
      expect(states.sort()).toEqual(['queued', 'queued', 'running', 'running']);
      expect(executor.holding.every((id) => /-c0000[01]$/.test(id))).toBe(true);
      const b = await sys.jobs.submitAnalysis('b', smallAnalysis);
      await until(() => executor.started.includes(b.id), 2000, "B's task to start");
      expect((await sys.jobs.get('b', b.id)).state).toBe('running');
      executor.finish(b.id, { kind: 'analysis_written', analyses: ['stats'], seconds: 0 });
      expect((await sys.jobs.waitFor('b', b.id, 5000)).state).toBe('succeeded');
      for (const j of a) await sys.jobs.cancel('a', j.id);
    });
  });

  it('fans chunks out a few at a time: never more than chunkConcurrency of one job in flight', async () => {
    await withSystem({ chunkConcurrency: 2 }, async (sys, executor) => {
      const job = await sys.jobs.submitPlacebo('a', { ...bigPlacebo, draws: 6000, chunkSize: 1000 });
      let peak = 0;
      for (let done = 0; done < 6; done++) {
        await until(() => executor.holding.length === Math.min(2, 6 - done), 5000, `chunk tasks after ${done} done`);
        peak = Math.max(peak, executor.holding.length);
        executor.finish(executor.holding[0]!, fakeChunk(1000));
      }
      expect(peak).toBe(2);
      await until(() => executor.holding.includes(job.id), 5000, 'the merge task');
      expect((await sys.jobs.children('a', job.id)).map((c) => c.state)).toEqual(Array(6).fill('succeeded'));
      await sys.jobs.cancel('a', job.id);
    });
  });

  it('enforces the queued-jobs and draws-in-flight quotas per tenant (429), not across tenants', async () => {
    await withSystem({ maxRunning: 1, limits: { queuedJobs: 1, drawsInFlight: 150_000 } }, async (sys) => {
      await sys.jobs.submitPlacebo('a', bigPlacebo); // runs
      await until(async () => (await sys.jobs.list('a'))[0]?.state === 'running', 5000, 'the first job to run');
      const err = await sys.jobs.submitPlacebo('a', bigPlacebo).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LimitError);
      expect((err as Error).message).toBe("tenant 'a' has 100000 draws queued or running; 100000 more would pass the limit of 150000; wait or cancel a job");
      await sys.jobs.submitAnalysis('a', smallAnalysis); // queued (no draws)
      await expect(sys.jobs.submitAnalysis('a', smallAnalysis)).rejects.toThrow("tenant 'a' has 1 jobs queued (limit 1); wait or cancel one");
      expect((await sys.jobs.submitPlacebo('b', bigPlacebo)).state).toBe('queued');
      for (const tenant of ['a', 'b']) for (const j of await sys.jobs.list(tenant)) await sys.jobs.cancel(tenant, j.id).catch(() => undefined);
    });
  });
});
