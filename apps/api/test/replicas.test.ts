import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, KEY_A, readSse, tempDir, waitForJob } from './helpers.js';
import { exited, killed, startProcess, type ApiProcess } from './process.js';
import { hasPostgres, hasRedisServer as hasRedis, postgresRequired, startPostgres, startRedis, type PostgresHandle } from '@panel-lab/test-services';

/**
 * The distributed engine with real processes on loopback: two API replicas (bin/main.js) and two
 * workers (apps/worker bin/main.js) sharing one redis-server, one PostgreSQL and one data
 * directory. A job submitted to replica A is read, streamed (SSE) and cancelled through replica B;
 * killing replica A (SIGKILL) right after its submits loses nothing; a worker killed mid-chunk
 * leaves jobs that still complete.
 */
const WORKER_MAIN = fileURLToPath(new URL('../../worker/bin/main.js', import.meta.url));
const missing = !hasPostgres() || !hasRedis();
if (missing) console.warn('replica tests skipped: redis-server or PostgreSQL is not installed (.ci/install-system.sh)');

describe('replica test prerequisites', () => {
  it.runIf(postgresRequired())('has redis-server and PostgreSQL when CI or REQUIRE_POSTGRES=1 is set', () => {
    expect(missing, 'redis-server and PostgreSQL are required here: install them (.ci/install-system.sh)').toBe(false);
  });
});

interface Worker {
  readonly child: ChildProcess;
  readonly logs: string[];
}

function spawnWorker(env: Record<string, string>): Promise<Worker> {
  const child = spawn(process.execPath, [WORKER_MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start; stderr: ${stderr.slice(-2000)}`)), 90_000);
    let rest = '';
    child.stdout!.on('data', (c: Buffer) => {
      rest += c.toString('utf8');
      const lines = rest.split('\n');
      rest = lines.pop() ?? '';
      logs.push(...lines);
      if (lines.some((l) => l.includes('"worker ready"'))) {
        clearTimeout(timer);
        resolve({ child, logs });
      }
    });
  });
}

const placebo = (draws: number, chunkSize: number) => ({ dataset: { source: 'example', name: 'mpdta' }, outcome: 'lemp', cohort: 'first.treat', draws, chunkSize, seed: 11, se: false });

describe.skipIf(missing)('two API replicas and two workers on one Redis and one PostgreSQL', () => {
  let pg: PostgresHandle;
  let redis: { url: string; stop(): Promise<void> };
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let env: Record<string, string>;
  const apis: ApiProcess[] = [];
  const workers: Worker[] = [];

  beforeAll(async () => {
    [pg, redis, tmp] = await Promise.all([startPostgres(), startRedis(), tempDir('panel-lab-replicas-')]);
    env = {
      PANEL_LAB_REDIS_URL: redis.url,
      PANEL_LAB_DATABASE_URL: await pg.database('replicas'),
      PANEL_LAB_QUEUE: 'replicas',
      PANEL_LAB_DATA_DIR: tmp.dir,
      PANEL_LAB_POLL_MS: '200',
      PANEL_LAB_TASK_CHECK_MS: '1000',
      PANEL_LAB_TASK_LOST_MS: '3000',
    };
    const workerEnv = { ...env, PANEL_LAB_WORKER_CONCURRENCY: '1', PANEL_LAB_LOCK_MS: '3000', PANEL_LAB_STALLED_CHECK_MS: '1000' };
    // one at a time: both replicas opening the schema at once is covered by the store tests; here it would only slow the start
    apis.push(await startProcess(tmp.dir, env));
    apis.push(await startProcess(tmp.dir, env));
    workers.push(...(await Promise.all([spawnWorker(workerEnv), spawnWorker(workerEnv)])));
  }, 180_000);

  afterAll(async () => {
    for (const a of apis) await killed(a.child);
    for (const w of workers) await killed(w.child);
    await redis?.stop();
    await pg?.stop();
    await tmp?.cleanup();
  });

  it('a job submitted to replica A is visible, streamed to its end (SSE) and its result served through replica B', async () => {
    const [a, b] = apis as [ApiProcess, ApiProcess];
    const res = await api(a.url, KEY_A).post('/v1/placebo', placebo(4000, 500));
    expect(res.status).toBe(202);
    const job = (await res.json()) as { id: string };
    const seen = await api(b.url, KEY_A).get(`/v1/jobs/${job.id}`);
    expect(seen.status).toBe(200);
    const events = await readSse(await api(b.url, KEY_A).get(`/v1/jobs/${job.id}/events`), 120_000);
    expect(events.at(-1)?.state, JSON.stringify(events.at(-1))).toBe('succeeded');
    // B streams the states in order; on an idle machine the job may end before B's stream opens (or between
    // two of its reads), so 'running' need not be among them
    const order = ['queued', 'running', 'succeeded'];
    const ranks = events.map((e) => order.indexOf(e.state as string));
    expect(ranks.every((r, i) => r >= 0 && (i === 0 || r >= ranks[i - 1]!)), JSON.stringify(events.map((e) => e.state))).toBe(true);
    const result = (await (await api(b.url, KEY_A).get(`/v1/jobs/${job.id}/result`)).json()) as { draws: { beta: number[] } };
    expect(result.draws.beta).toHaveLength(4000);
    const listed = (await (await api(a.url, KEY_A).get('/v1/jobs')).json()) as { jobs: { id: string }[] };
    expect(listed.jobs.map((j) => j.id)).toContain(job.id);
  }, 150_000);

  it('a job submitted to replica A is cancelled through replica B', async () => {
    const [a, b] = apis as [ApiProcess, ApiProcess];
    const job = (await (await api(a.url, KEY_A).post('/v1/placebo', placebo(100_000, 2000))).json()) as { id: string };
    const cancel = await api(b.url, KEY_A).post(`/v1/jobs/${job.id}/cancel`, {});
    expect(cancel.status, await cancel.clone().text()).toBe(201);
    expect(((await cancel.json()) as { state: string }).state).toBe('cancelled');
    expect((await api(a.url, KEY_A).post(`/v1/jobs/${job.id}/cancel`, {})).status).toBe(409);
    // still cancelled once the workers have seen it (no worker revives it)
    await new Promise((r) => setTimeout(r, 1500));
    expect(((await (await api(a.url, KEY_A).get(`/v1/jobs/${job.id}`)).json()) as { state: string }).state).toBe('cancelled');
  }, 60_000);

  it('killing replica A (SIGKILL) right after its submits, and a worker mid-chunk, loses nothing', async () => {
    const [a, b] = apis as [ApiProcess, ApiProcess];
    const ids: string[] = [];
    const victim = workers[0]!;
    const before = victim.logs.length;
    for (let i = 0; i < 4; i++) {
      const res = await api(a.url, KEY_A).post('/v1/placebo', { ...placebo(6000, 1000), seed: 100 + i });
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { id: string }).id);
    }
    await killed(a.child);
    // a worker dies while it computes a chunk: its task is taken again once the lock lapses
    await expect.poll(() => victim.logs.slice(before).some((l) => l.includes('"task started"') && l.includes('placebo-chunk')), { timeout: 60_000, interval: 20 }).toBe(true);
    await killed(victim.child);
    const taskIds = (message: string, logs: string[]) => logs.filter((l) => l.includes(`"${message}"`)).map((l) => String((JSON.parse(l) as { taskId: string }).taskId));
    const cut = taskIds('task started', victim.logs.slice(before)).filter((t) => !taskIds('task done', victim.logs).includes(t));
    for (const id of ids) {
      const done = await waitForJob(b.url, KEY_A, id, 120_000);
      expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
      expect((done.chunks as { succeeded: number }).succeeded).toBe(6);
      // one merged result of exactly the draws asked for: no chunk lost or counted twice
      const result = (await (await api(b.url, KEY_A).get(`/v1/jobs/${id}/result`)).json()) as { draws: { beta: number[] } };
      expect(result.draws.beta).toHaveLength(6000);
    }
    // what the killed worker had in hand was run again by the other one
    console.log(`replicas: ${cut.length} task(s) cut by the worker kill: ${cut.join(", ")}`);
    const survivorDone = taskIds('task done', workers[1]!.logs);
    for (const t of cut) expect(survivorDone, `task ${t} cut by the kill`).toContain(t);
  }, 200_000);

  it('SIGTERM on a replica ends its SSE streams with a retry hint and exits 0; another replica serves the job to its end', async () => {
    const b = apis[1]!;
    const job = (await (await api(b.url, KEY_A).post('/v1/placebo', placebo(40_000, 2000))).json()) as { id: string };
    const stream = await api(b.url, KEY_A).get(`/v1/jobs/${job.id}/events`);
    const reader = stream.body!.getReader();
    const t0 = Date.now();
    b.child.kill('SIGTERM');
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toMatch(/retry: \d+\nevent: shutdown/);
    expect((await exited(b.child)).code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(15_000);
    const c = await startProcess(tmp.dir, env);
    apis.push(c);
    const done = await waitForJob(c.url, KEY_A, job.id, 120_000);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
  }, 200_000);
});
