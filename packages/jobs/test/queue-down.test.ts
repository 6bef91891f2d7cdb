import { spawn, type ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { BullMqExecutor, QueueUnavailableError, type Task } from '../src/index.js';
import { whenRedisReady } from '../src/bullmq.js';
import { freePort, hasRedisServer as hasRedis } from '@panel-lab/test-services';

// Issue 17: a Redis restart while a task is being handed over is waited out (bounded), and a
// client that is still connecting is waited for instead of failing at once.

const children: ChildProcess[] = [];
const redisOn = (port: number) => {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  children.push(child);
  return child;
};
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

const task: Task = { type: 'analysis', spec: {} as never, datasets: {}, outDir: 'nowhere' } as unknown as Task;

describe.skipIf(!hasRedis())('job queue down (real redis-server)', () => {
  it('whenRedisReady waits for a client that is still connecting', async () => {
    const port = await freePort();
    const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 100 });
    client.on('error', () => undefined);
    client.connect().catch(() => undefined);
    setTimeout(() => redisOn(port), 300);
    await whenRedisReady(client, 5000);
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  }, 15_000);

  it('a task enqueued while Redis is down waits for it and is added once it is back', async () => {
    const port = await freePort();
    const executor = new BullMqExecutor({ redisUrl: `redis://127.0.0.1:${port}`, queueName: 'down-then-up', unreachableAfterMs: 10_000 });
    const stop = new AbortController();
    const run = executor.run(task, { jobId: 'job1', signal: stop.signal });
    run.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 800));
    redisOn(port);
    const queue = new Queue('down-then-up', { connection: { host: '127.0.0.1', port } });
    queue.on('error', () => undefined);
    let waiting = 0;
    for (let i = 0; i < 100 && waiting === 0; i++) {
      waiting = (await queue.getJobCounts('waiting')).waiting ?? 0;
      if (waiting === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(waiting).toBe(1);
    stop.abort();
    await expect(run).rejects.toThrow(/cancel/i);
    await queue.close();
    await executor.close();
  }, 30_000);

  it('fails with a message naming the bound once Redis stays down past it', async () => {
    const port = await freePort();
    const executor = new BullMqExecutor({ redisUrl: `redis://127.0.0.1:${port}`, queueName: 'never-up', unreachableAfterMs: 1500 });
    const t0 = Date.now();
    const error = await executor.run(task, { jobId: 'job2' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueUnavailableError);
    expect(String((error as Error).message)).toMatch(/stayed unreachable for \d+ ms \(bound 1500 ms, PANEL_LAB_QUEUE_DOWN_MS\)/);
    expect(Date.now() - t0).toBeLessThan(8000);
    await executor.close();
  }, 20_000);
});
