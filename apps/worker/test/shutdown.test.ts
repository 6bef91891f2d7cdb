import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BullMqExecutor, openJobSystem, type JobSystem } from '@panel-lab/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRedisServer, startRedis, type RedisHandle } from '@panel-lab/test-services';
import { spawnWorker, type WorkerProcess } from './workers.js';

const redisMissing = !hasRedisServer();

describe.skipIf(redisMissing)('a worker process on SIGTERM with a task running', () => {
  let redis: RedisHandle;
  let dataDir: string;
  let system: JobSystem;
  const spawned: WorkerProcess[] = [];
  const queueName = `panel-lab-sigterm-${process.pid}`;
  const grace = 1500;
  const env = () => ({ PANEL_LAB_REDIS_URL: redis.url, PANEL_LAB_QUEUE: queueName, PANEL_LAB_DATA_DIR: dataDir, PANEL_LAB_WORKER_CONCURRENCY: '1', PANEL_LAB_LOCK_MS: '2000', PANEL_LAB_STALLED_CHECK_MS: '1000', PANEL_LAB_SHUTDOWN_GRACE_MS: String(grace) });

  beforeAll(async () => {
    redis = await startRedis();
    dataDir = await mkdtemp(join(tmpdir(), 'panel-lab-worker-sigterm-'));
    system = await openJobSystem({ dataDir, executor: new BullMqExecutor({ redisUrl: redis.url, queueName, checkIntervalMs: 500 }) });
  }, 60_000);
  afterAll(async () => {
    await system?.close();
    await Promise.all(spawned.map((w) => w.kill('SIGKILL')));
    await redis?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('leaves within its grace period, handing the unfinished task back to the queue for another worker', async () => {
    const first = spawnWorker(env());
    spawned.push(first);
    await first.waitForLog((l) => l.message === 'worker ready', 90_000);
    const job = await system.jobs.submitPlacebo('t', { dataset: { source: 'synthetic', cities: 1500, seed: 1 }, outcome: 'ln_co2_total', cohort: 'bigdata_year', draws: 200_000, chunkSize: 100_000, se: true, seed: 3 });
    await first.waitForLog((l) => l.message === 'task started' && String(l.taskId).startsWith(job.id), 60_000);
    const t0 = Date.now();
    const exit = new Promise<number | null>((resolve) => first.child.once('exit', (code) => resolve(code)));
    first.child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(Date.now() - t0).toBeLessThan(grace + 3000);
    expect(first.logs.some((l) => l.message === 'draining')).toBe(true);
    // a chunk of 100,000 draws on 13,500 rows outlasts the grace period: the worker left without it
    expect(first.logs.some((l) => l.message === 'grace period over; handing running tasks back to the queue')).toBe(true);
    expect(first.logs.some((l) => l.message === 'task handed back to the queue' && String(l.taskId).startsWith(job.id))).toBe(true);
    expect(first.logs.some((l) => l.message === 'task done' && String(l.taskId).startsWith(job.id))).toBe(false);
    const second = spawnWorker(env());
    spawned.push(second);
    const done = await system.jobs.waitFor('t', job.id, 120_000);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(second.logs.some((l) => l.message === 'task done' && String(l.taskId).startsWith(job.id))).toBe(true);
  }, 180_000);
});
