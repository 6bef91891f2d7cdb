import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BullMqExecutor, openJobSystem, startQueueWorker, type JobLogger, type JobSystem } from '@panel-lab/jobs';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasRedisServer, startRedis, type RedisHandle } from '@panel-lab/test-services';

const redisMissing = !hasRedisServer();
if (redisMissing) console.warn('queue fault tests skipped: redis-server is not installed (apt-get install redis-server)');

const describeSpec = { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 'stats', estimator: 'describe' }] };

describe.skipIf(redisMissing)('the BullMQ executor when Redis loses its data or goes away', () => {
  let redis: RedisHandle;
  let client: Redis;
  let dataDir: string;
  let system: JobSystem | undefined;
  const queueName = `panel-lab-faults-${process.pid}`;
  const logs: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const logger: JobLogger = { log: (level, message, fields) => void logs.push({ level, message, fields }) };

  beforeEach(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    dataDir = await mkdtemp(join(tmpdir(), 'panel-lab-faults-'));
    logs.length = 0;
  });
  afterEach(async () => {
    await system?.close();
    system = undefined;
    client.disconnect();
    await redis.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const open = async (o: Partial<ConstructorParameters<typeof BullMqExecutor>[0]>) => {
    const executor = new BullMqExecutor({ redisUrl: redis.url, queueName, logger, checkIntervalMs: 200, lostAfterMs: 600, unreachableAfterMs: 1500, ...o });
    system = await openJobSystem({ dataDir, executor, logger });
    return system;
  };
  const waitingTasks = async () => (await client.keys(`bull:${queueName}:*`)).filter((k) => /:[^:]*job_[0-9a-f]{16}-[0-9a-f]{8}$/.test(k)).length;

  it('fails a task that vanished (Redis flushed, no persistence) within the bounded time, naming the cause', async () => {
    const sys = await open({ requeueLost: 0 });
    const job = await sys.jobs.submitAnalysis('t', describeSpec);
    for (let i = 0; i < 100 && (await waitingTasks()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await waitingTasks()).toBe(1);
    const t0 = Date.now();
    await client.flushall();
    const done = await sys.jobs.waitFor('t', job.id, 10_000);
    expect(done.state).toBe('failed');
    expect(done.error?.message).toMatch(/vanished from the job queue \(Redis at 127\.0\.0\.1:\d+ lost its data\?\)/);
    expect(Date.now() - t0).toBeLessThan(5000);
  }, 30_000);

  it('adds a vanished task again once, and the job completes when a worker comes', async () => {
    const sys = await open({ requeueLost: 1 });
    const job = await sys.jobs.submitAnalysis('t', describeSpec);
    for (let i = 0; i < 100 && (await waitingTasks()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await client.flushall();
    for (let i = 0; i < 250 && !logs.some((l) => l.message === 'task vanished from the queue; added again'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(logs.find((l) => l.message === 'task vanished from the queue; added again')?.fields).toMatchObject({ jobId: job.id, attempt: 1 });
    const worker = startQueueWorker({ redisUrl: redis.url, queueName, dataDir, concurrency: 1 });
    try {
      await worker.ready();
      const done = await sys.jobs.waitFor('t', job.id, 60_000);
      expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    } finally {
      await worker.close();
    }
  }, 90_000);

  it('fails a waiting task when Redis stays unreachable past unreachableAfterMs', async () => {
    const sys = await open({ requeueLost: 0 });
    const job = await sys.jobs.submitAnalysis('t', describeSpec);
    for (let i = 0; i < 100 && (await waitingTasks()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    await redis.stop();
    const done = await sys.jobs.waitFor('t', job.id, 15_000);
    expect(done.state).toBe('failed');
    expect(done.error?.message).toMatch(/has been unreachable for \d+ ms while task job_/);
    expect(Date.now() - t0).toBeLessThan(8000);
  }, 30_000);

  it('bounds what finished tasks leave in Redis: count-limited retention and a trimmed events stream', async () => {
    const sys = await open({ retention: { completedCount: 2, eventsMaxLen: 100 } });
    const worker = startQueueWorker({ redisUrl: redis.url, queueName, dataDir, concurrency: 1 });
    try {
      await worker.ready();
      const job = await sys.jobs.submitPlacebo('t', { dataset: { source: 'example', name: 'mpdta' }, outcome: 'lemp', cohort: 'first.treat', draws: 60, chunkSize: 10, se: false });
      expect((await sys.jobs.waitFor('t', job.id, 60_000)).state).toBe('succeeded');
      // 6 chunks and a merge completed; at most the 2 newest are kept
      expect(await client.zcard(`bull:${queueName}:completed`)).toBeLessThanOrEqual(2);
      expect(await client.hget(`bull:${queueName}:meta`, 'opts.maxLenEvents')).toBe('100');
    } finally {
      await worker.close();
    }
  }, 90_000);
});
