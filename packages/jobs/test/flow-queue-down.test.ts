import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJobSystem, PostgresMetaStore, startFlowWorker, type FlowWorker, type JobSystem, type MetaStore } from '../src/index.js';
import { freePort, hasPostgres, hasRedisServer, startPostgres, type PostgresHandle } from '@panel-lab/test-services';

// Issue 17: in the distributed engine a submit during a Redis outage is accepted (the store has
// the job) and added once Redis is back, as the one-process modes wait out an outage; past
// PANEL_LAB_QUEUE_DOWN_MS the job fails naming the bound. Before, the submit got an immediate 503.
const missing = !hasPostgres() || !hasRedisServer();
const spec = { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 'stats', estimator: 'describe' }] };

describe.skipIf(missing)('distributed submit while Redis is down (real redis-server and PostgreSQL)', () => {
  let pg: PostgresHandle;
  let port: number;
  let redis: ChildProcess | null = null;
  let dataDir: string;
  let patient: JobSystem;
  let hasty: JobSystem;
  let worker: { flow: FlowWorker; store: MetaStore };
  const queueName = `down-${process.pid}`;

  const redisUp = async () => {
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    for (let i = 0; i < 100; i++) {
      if (await client.connect().then(() => client.ping(), () => null)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    client.disconnect();
  };
  const redisDown = async () => {
    const child = redis;
    redis = null;
    if (!child || child.exitCode !== null) return;
    await new Promise((r) => (child.once('exit', r), child.kill('SIGKILL')));
  };

  beforeAll(async () => {
    pg = await startPostgres();
    port = await freePort();
    await redisUp();
    dataDir = await mkdtemp(join(tmpdir(), 'panel-lab-flow-down-'));
    const storeUrl = await pg.database('down');
    const distributed = { redisUrl: `redis://127.0.0.1:${port}`, queueName, pollMs: 100, checkIntervalMs: 500, lostAfterMs: 3000 };
    patient = await openJobSystem({ dataDir, storeUrl, distributed: { ...distributed, unreachableAfterMs: 60_000 } });
    hasty = await openJobSystem({ dataDir, storeUrl, distributed: { ...distributed, unreachableAfterMs: 1500 } });
    const store = await PostgresMetaStore.open({ url: storeUrl, poolSize: 3 });
    const flow = startFlowWorker({ redisUrl: distributed.redisUrl, queueName, dataDir, store, concurrency: 1, discoverMs: 200, lockDurationMs: 3000, stalledIntervalMs: 1000 });
    await flow.ready();
    worker = { flow, store };
  }, 120_000);

  afterAll(async () => {
    await patient?.close();
    await hasty?.close();
    await worker?.flow.close(true);
    await worker?.store.close();
    await redisDown();
    await pg?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('a job submitted while Redis restarts is accepted, added when Redis is back and runs', async () => {
    await redisDown();
    const t0 = Date.now();
    const job = await patient.jobs.submitAnalysis('acme', spec);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(job.state).toBe('queued');
    expect(job.notes.join('\n')).toMatch(/unreachable at submit; the job is added once it is back \(failed after 60000 ms, PANEL_LAB_QUEUE_DOWN_MS\)/);
    await new Promise((r) => setTimeout(r, 1000));
    await redisUp();
    const done = await patient.jobs.waitFor('acme', job.id, 90_000);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
  }, 120_000);

  it('a job whose Redis stays down past PANEL_LAB_QUEUE_DOWN_MS fails naming the bound', async () => {
    await redisDown();
    const job = await hasty.jobs.submitAnalysis('acme', spec);
    expect(job.state).toBe('queued');
    const done = await hasty.jobs.waitFor('acme', job.id, 30_000);
    expect(done.state).toBe('failed');
    expect(done.error?.message).toMatch(/stayed unreachable for \d+ ms \(bound 1500 ms, PANEL_LAB_QUEUE_DOWN_MS\)/);
    await redisUp();
  }, 60_000);
});
