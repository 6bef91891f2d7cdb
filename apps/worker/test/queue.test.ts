import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMpdta } from '@panel-lab/datasets';
import { BullMqExecutor, openJobSystem, type JobSystem } from '@panel-lab/jobs';
import { runPlacebo, twfeArrays, type PlaceboResult } from '@panel-lab/resample';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRedisServer, startRedis, type RedisHandle } from '@panel-lab/test-services';
import { spawnWorker, type WorkerProcess } from './workers.js';

// CI installs redis-server (.ci/install-system.sh); a machine without it skips these with this reason,
// except in CI (or with REQUIRE_REDIS=1), where its absence fails.
const redisMissing = !hasRedisServer();
const redisRequired = Boolean(process.env.CI) || process.env.REQUIRE_REDIS === '1';
if (redisMissing) console.warn('queue tests skipped: redis-server is not installed (apt-get install redis-server)');

describe('queue test prerequisites', () => {
  it.runIf(redisRequired)('has redis-server when CI or REQUIRE_REDIS=1 is set', () => {
    expect(redisMissing, 'redis-server is required here: install it (.ci/install-system.sh)').toBe(false);
  });
});

const mpdtaPlacebo = (draws: number, chunkSize: number) => ({ dataset: { source: 'example', name: 'mpdta' }, outcome: 'lemp', cohort: 'first.treat', draws, chunkSize, seed: 99, se: false });

async function inProcess(draws: number, chunkSize: number): Promise<PlaceboResult> {
  return runPlacebo(twfeArrays(await loadMpdta(), { outcome: 'lemp', cohort: 'first.treat' }), { seed: 99, draws, chunkSize, se: false });
}

describe.skipIf(redisMissing)('BullMQ scale-out with a real redis-server and two worker processes', () => {
  let redis: RedisHandle;
  let dataDir: string;
  let system: JobSystem;
  const workers: WorkerProcess[] = [];
  const queueName = `panel-lab-test-${process.pid}`;

  const env = () => ({ PANEL_LAB_REDIS_URL: redis.url, PANEL_LAB_QUEUE: queueName, PANEL_LAB_DATA_DIR: dataDir, PANEL_LAB_WORKER_CONCURRENCY: '1', PANEL_LAB_LOCK_MS: '2000', PANEL_LAB_STALLED_CHECK_MS: '1000' });

  beforeAll(async () => {
    redis = await startRedis();
    dataDir = await mkdtemp(join(tmpdir(), 'panel-lab-queue-'));
    workers.push(spawnWorker(env()), spawnWorker(env()));
    await Promise.all(workers.map((w) => w.waitForLog((l) => l.message === 'worker ready', 90_000)));
    system = await openJobSystem({ dataDir, executor: new BullMqExecutor({ redisUrl: redis.url, queueName }) });
  }, 120_000);

  afterAll(async () => {
    await system?.close();
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));
    await redis?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('a multi-chunk placebo job spread over two worker processes equals the in-process result', async () => {
    const job = await system.jobs.submitPlacebo('t', mpdtaPlacebo(6000, 1000));
    const done = await system.jobs.waitFor('t', job.id, 90_000);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const merged = JSON.parse(await readFile(join(system.dir.jobDir('t', job.id), 'result.json'), 'utf8')) as PlaceboResult;
    const single = await inProcess(6000, 1000);
    expect(merged.draws.beta).toEqual(single.draws.beta);
    expect(merged.summary).toEqual(single.summary);
    expect(merged.meta.chunks).toBe(6);
    // both processes took chunk tasks
    const byWorker = workers.map((w) => w.logs.filter((l) => l.message === 'task done' && l.type === 'placebo-chunk').length);
    expect(byWorker.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(6);
    expect(byWorker.every((n) => n > 0), `chunks per worker: ${byWorker.join(', ')}`).toBe(true);
  }, 120_000);

  it('a worker killed mid-chunk leaves a job that still completes, with the same result', async () => {
    const draws = 120_000;
    const chunkSize = 40_000;
    const job = await system.jobs.submitPlacebo('t', mpdtaPlacebo(draws, chunkSize));
    // kill whichever worker starts a chunk of this job first, while it computes
    const [victim, started] = await Promise.race(
      workers.map((w) => w.waitForLog((l) => l.message === 'task started' && String(l.taskId).startsWith(job.id), 60_000).then((l) => [w, l] as const)),
    );
    await victim.kill('SIGKILL');
    const survivor = workers.find((w) => w !== victim)!;
    const done = await system.jobs.waitFor('t', job.id, 120_000);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const merged = JSON.parse(await readFile(join(system.dir.jobDir('t', job.id), 'result.json'), 'utf8')) as PlaceboResult;
    const single = await inProcess(draws, chunkSize);
    expect(merged.draws.beta).toEqual(single.draws.beta);
    expect(survivor.logs.filter((l) => l.message === 'task done' && String(l.taskId).startsWith(job.id)).length).toBeGreaterThanOrEqual(3);
    // the killed worker's own task was retried by the survivor (its lock expired)
    expect(victim.logs.some((l) => l.message === 'task done' && l.taskId === started.taskId)).toBe(false);
    expect(survivor.logs.some((l) => l.message === 'task done' && l.taskId === started.taskId)).toBe(true);
  }, 180_000);

  it('a submit while Redis is down is accepted with a note, waits, and runs on the workers once Redis is back (as in the distributed engine)', async () => {
    await redis.stop();
    const t0 = Date.now();
    const job = await system.jobs.submitPlacebo('t', mpdtaPlacebo(20, 10));
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(job.state).toBe('queued');
    expect(job.notes.join('\n')).toMatch(/the job queue \(Redis at 127\.0\.0\.1:\d+\) was unreachable at submit; the job is added once it is back \(failed after 120000 ms, PANEL_LAB_QUEUE_DOWN_MS\)/);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await system.jobs.get('t', job.id)).state).not.toMatch(/succeeded|failed/);
    redis = await startRedis({ port: Number(new URL(redis.url).port) });
    const done = await system.jobs.waitFor('t', job.id, 60_000);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const merged = JSON.parse(await readFile(join(system.dir.jobDir('t', job.id), 'result.json'), 'utf8')) as PlaceboResult;
    expect(merged.draws.beta).toEqual((await inProcess(20, 10)).draws.beta);
  }, 90_000);
});
