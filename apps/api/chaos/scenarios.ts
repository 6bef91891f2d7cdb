// The chaos scenarios (issue 17): faults an operator and a hostile-but-realistic tenant cause, on
// real processes over loopback. Each scenario counts jobs lost (404 or gone from the list), stuck
// (not finished by the deadline) and duplicated (a placebo result with more or fewer draws than asked,
// a chunk counted twice), and the figures the README records.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasPostgres, startPostgres, type PostgresHandle } from '@panel-lab/test-services';
import { client, exited, kill9, KEY_A, KEY_B, quantile, rssBytes, sleep, startApi, startRedis, startWorker, TERMINAL, type ApiProcess, type RedisServer, type ServiceProcess } from './harness.js';

type Json = Record<string, any>;

export type ChaosScale = 'ci' | 'full';

export interface ScenarioResult {
  readonly scenario: string;
  readonly submitted: number;
  readonly succeeded: number;
  /** Failed with a message (allowed where Redis lost its data: the job says so instead of hanging). */
  readonly failed: number;
  readonly lost: number;
  readonly stuck: number;
  readonly duplicated: number;
  readonly seconds: number;
  /** The first failure messages (a failed job must say why). */
  readonly errors?: readonly string[];
  readonly figures: Record<string, number | string>;
}

export interface ChaosReport {
  readonly scale: ChaosScale;
  readonly startedAt: string;
  readonly load1: number;
  readonly cpus: number;
  readonly bounds: { readonly stuckAfterS: number; readonly otherTenantP95Ms: number };
  readonly scenarios: readonly ScenarioResult[];
}

/** Sizes per scale: the CI run must stay short on a loaded 2-core machine. */
const SIZES = {
  ci: { jobs: 6, placeboDraws: 200, chunk: 50, floodJobs: 3, floodDraws: 4000, floodChunk: 20, floodSeconds: 6, loadJobs: 24, loadClients: 6, stuckAfterS: 60, p95Ms: 2500 },
  full: { jobs: 50, placeboDraws: 400, chunk: 50, floodJobs: 8, floodDraws: 20_000, floodChunk: 20, floodSeconds: 20, loadJobs: 200, loadClients: 20, stuckAfterS: 120, p95Ms: 1500 },
} as const;

const MPDTA = { source: 'example', name: 'mpdta' };
const describeSpec = { dataset: MPDTA, analyses: [{ id: 'stats', estimator: 'describe' }] };
const placeboSpec = (draws: number, chunkSize: number, seed: number) => ({ dataset: MPDTA, outcome: 'lemp', cohort: 'first.treat', draws, chunkSize, seed, se: false });

/**
 * One environment: Redis, the API and two workers sharing a data folder; or, as 'replicas', the
 * distributed engine: two API replicas and two workers on Redis plus a PostgreSQL job store, with
 * the tenants' requests spread over the replicas in turn.
 */
export type Topology = 'one' | 'replicas';

class Cluster {
  apis: ApiProcess[] = [];
  workers: ServiceProcess[] = [];
  private turn = 0;
  private constructor(
    readonly dir: string,
    readonly redis: RedisServer,
    readonly queue: string,
    readonly apiEnv: Record<string, string>,
    readonly workerEnv: Record<string, string>,
    readonly pg: PostgresHandle | null,
  ) {}

  static async start(name: string, apiEnv: Record<string, string> = {}, topology: Topology = 'one'): Promise<Cluster> {
    const dir = await mkdtemp(join(tmpdir(), `panel-lab-chaos-${name}-`));
    const redis = await startRedis(dir);
    if (name === 'aof') await redis.persist();
    const pg = topology === 'replicas' ? await startPostgres() : null;
    const store: Record<string, string> = pg ? { PANEL_LAB_DATABASE_URL: await pg.database('chaos'), PANEL_LAB_POLL_MS: '200' } : {};
    const env: Record<string, string> = { PANEL_LAB_MAX_ACTIVE_JOBS: '1000', PANEL_LAB_MAX_QUEUED_JOBS: '1000', PANEL_LAB_THREADS: '1', PANEL_LAB_SHUTDOWN_GRACE_MS: '4000', ...store, ...apiEnv };
    const cluster = new Cluster(dir, redis, `chaos-${name}-${process.pid}`, env, store, pg);
    // replicas one after another: the first creates the store's schema
    for (let i = 0; i < (pg ? 2 : 1); i++) cluster.apis.push(await startApi(join(dir, 'data'), redis.url, cluster.queue, env));
    cluster.workers = await Promise.all([cluster.worker(), cluster.worker()]);
    return cluster;
  }

  /** The first (or only) API process. */
  get api(): ApiProcess {
    return this.apis[0]!;
  }

  worker(): Promise<ServiceProcess> {
    return startWorker(join(this.dir, 'data'), this.redis.url, this.queue, this.workerEnv);
  }

  /** Which processes exited on their own (with the last of their stderr). */
  down(): string[] {
    const gone = (p: ServiceProcess) => p.child.exitCode !== null || p.child.signalCode !== null;
    return [...this.apis.filter(gone).map((a) => `api (exit ${a.child.exitCode}): ${a.stderr().slice(-1500)}`), ...this.workers.filter(gone).map((w) => `worker (exit ${w.child.exitCode}): ${w.stderr().slice(-1500)}`)];
  }

  /** Starts the first API again (after a kill or SIGTERM) on the same data, Redis and store. */
  async restartApi(): Promise<void> {
    this.apis[0] = await startApi(join(this.dir, 'data'), this.redis.url, this.queue, this.apiEnv);
  }

  /** A tenant's client; with replicas each request goes to the next one. */
  tenant(key: string) {
    return client(() => this.apis[this.turn++ % this.apis.length]!.url, key);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.apis.map((a) => kill9(a.child)), ...this.workers.map((w) => kill9(w.child))]);
    await this.redis.stop();
    await this.pg?.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

interface Submitted {
  readonly id: string;
  readonly key: string;
  readonly draws?: number;
}

async function submit(cluster: Cluster, key: string, kind: 'describe' | 'placebo', draws = 0, chunk = 1, seed = 1): Promise<Submitted> {
  const t = cluster.tenant(key);
  const res = kind === 'describe' ? await t.post('/v1/analyses', describeSpec) : await t.post('/v1/placebo', placeboSpec(draws, chunk, seed));
  if (res.status !== 202) throw new Error(`submit ${kind}: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: String(res.body.id), key, ...(kind === 'placebo' ? { draws } : {}) };
}

/** Waits for every job to finish (bounded) and counts lost, stuck, duplicated. */
async function settle(cluster: Cluster, jobs: readonly Submitted[], deadlineMs: number) {
  const final = new Map<string, Json | 'lost'>();
  const deadline = Date.now() + deadlineMs;
  while (final.size < jobs.length && Date.now() < deadline) {
    for (const j of jobs) {
      if (final.has(j.id)) continue;
      const res = await cluster.tenant(j.key).get(`/v1/jobs/${j.id}`).catch(() => null);
      if (!res) continue; // the API is restarting: ask again
      if (res.status === 404) final.set(j.id, 'lost');
      else if (TERMINAL.includes(String(res.body.state))) final.set(j.id, res.body);
    }
    if (final.size < jobs.length) await sleep(250);
  }
  let succeeded = 0;
  let failed = 0;
  let lost = 0;
  let duplicated = 0;
  const errors: string[] = [];
  for (const j of jobs) {
    const f = final.get(j.id);
    if (f === 'lost') lost++;
    else if (f?.state === 'succeeded') {
      succeeded++;
      if (j.draws !== undefined) {
        const result = await cluster.tenant(j.key).get(`/v1/jobs/${j.id}/result`);
        const chunks = f.chunks as Json | undefined;
        if (result.body.draws?.beta?.length !== j.draws || (chunks && chunks.succeeded !== chunks.total)) duplicated++;
      }
    } else if (f) {
      failed++;
      if (errors.length < 3) errors.push(String((f.error as Json | undefined)?.message ?? f.state).slice(0, 300));
    }
  }
  return { succeeded, failed, lost, stuck: jobs.length - final.size, duplicated, errors };
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await run();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

/** Jobs in flight, then one worker killed with SIGKILL and a fresh one started. */
async function workerKill(cluster: Cluster, s: (typeof SIZES)[ChaosScale]): Promise<ScenarioResult> {
  const { value, seconds } = await timed(async () => {
    const jobs: Submitted[] = [];
    for (let i = 0; i < s.jobs; i++) jobs.push(await submit(cluster, KEY_A, i % 2 ? 'describe' : 'placebo', s.placeboDraws, s.chunk, i));
    await sleep(1500);
    await kill9(cluster.workers[0]!.child);
    cluster.workers[0] = await cluster.worker();
    return settle(cluster, jobs, s.stuckAfterS * 1000);
  });
  return { scenario: 'worker kill -9', submitted: s.jobs, ...value, seconds, figures: {} };
}

/** Jobs in flight, the API killed with SIGKILL and started again on the same store. */
async function apiKill(cluster: Cluster, s: (typeof SIZES)[ChaosScale]): Promise<ScenarioResult> {
  const { value, seconds } = await timed(async () => {
    const jobs: Submitted[] = [];
    for (let i = 0; i < s.jobs; i++) jobs.push(await submit(cluster, KEY_A, i % 2 ? 'describe' : 'placebo', s.placeboDraws, s.chunk, 100 + i));
    await sleep(1000);
    await kill9(cluster.api.child);
    await cluster.restartApi();
    return settle(cluster, jobs, s.stuckAfterS * 1000);
  });
  return { scenario: 'API kill -9', submitted: s.jobs, ...value, seconds, figures: {} };
}

/** Redis killed with SIGKILL and started again: with persistence the jobs go on; without, they must end (failed or requeued), never hang. */
async function redisRestart(cluster: Cluster, s: (typeof SIZES)[ChaosScale], persistent: boolean): Promise<ScenarioResult> {
  const { value, seconds } = await timed(async () => {
    const jobs: Submitted[] = [];
    // bigger placebo jobs than elsewhere: they must still be in flight when Redis goes (on an idle
    // machine 4,000 mpdta draws were all done within the 300 ms below, so at least 20,000)
    const draws = Math.max(s.placeboDraws * 20, 20_000);
    for (let i = 0; i < s.jobs; i++) jobs.push(await submit(cluster, KEY_A, i % 2 ? 'describe' : 'placebo', draws, s.chunk * 10, 200 + i));
    await sleep(300);
    // how many jobs the restart can hit (a figure: small jobs on an idle machine may be done already)
    const states = await Promise.all(jobs.map((j) => cluster.tenant(j.key).get(`/v1/jobs/${j.id}`).then((r) => String(r.body.state), () => 'unknown')));
    const inFlight = states.filter((st) => !TERMINAL.includes(st)).length;
    await cluster.redis.kill9();
    await sleep(500);
    await cluster.redis.restart();
    const settled = await settle(cluster, jobs, s.stuckAfterS * 1000);
    // main.ts's last-resort guard line: a rejection no caller handled (0 once every connection and promise is handled at its source)
    const guarded = cluster.apis.reduce((n, a) => n + (a.stderr().match(/Redis command lost in a reconnect/g) ?? []).length, 0);
    return { ...settled, processesDown: cluster.down(), guarded, inFlight };
  });
  return {
    scenario: `Redis kill -9 and restart (${persistent ? 'AOF, fsync always' : 'no persistence'})`,
    submitted: s.jobs,
    ...value,
    seconds,
    figures: { jobsInFlightAtKill: value.inFlight, processesDown: value.processesDown.join(', ') || 'none', apiUnhandledRejections: value.guarded },
  };
}

/** Tenant A floods the queue with many-chunk placebo jobs; tenant B's status reads are timed, and B's trivial job must finish. */
async function flood(cluster: Cluster, s: (typeof SIZES)[ChaosScale]): Promise<ScenarioResult> {
  const { value, seconds } = await timed(async () => {
    const b = cluster.tenant(KEY_B);
    const mine = await submit(cluster, KEY_B, 'describe');
    await settle(cluster, [mine], 60_000);
    const heavy: Submitted[] = [];
    for (let i = 0; i < s.floodJobs; i++) heavy.push(await submit(cluster, KEY_A, 'placebo', s.floodDraws, s.floodChunk, 300 + i));
    const latencies: number[] = [];
    const until = Date.now() + s.floodSeconds * 1000;
    // starvation: B's trivial job submitted behind A's flood must still finish
    const late = await submit(cluster, KEY_B, 'describe');
    const lateStart = Date.now();
    let lateDone = Number.NaN;
    while (Date.now() < until || Number.isNaN(lateDone)) {
      const t0 = performance.now();
      await b.get(`/v1/jobs/${mine.id}`);
      latencies.push(performance.now() - t0);
      const list = await b.get(`/v1/jobs/${late.id}`);
      if (Number.isNaN(lateDone) && TERMINAL.includes(String(list.body.state))) lateDone = (Date.now() - lateStart) / 1000;
      if (Date.now() - lateStart > s.stuckAfterS * 1000) break;
      await sleep(50);
    }
    for (const h of heavy) await cluster.tenant(KEY_A).post(`/v1/jobs/${h.id}/cancel`, {});
    const settled = await settle(cluster, [mine, late], 10_000);
    return { settled, latencies, lateDone };
  });
  return {
    scenario: "fan-out flood by tenant A, tenant B's status latency and trivial job",
    submitted: 2,
    ...value.settled,
    seconds,
    figures: {
      heavyJobs: s.floodJobs,
      chunksPerHeavyJob: s.floodDraws / s.floodChunk,
      statusReads: value.latencies.length,
      otherTenantP50Ms: Math.round(quantile(value.latencies, 0.5)),
      otherTenantP95Ms: Math.round(quantile(value.latencies, 0.95)),
      otherTenantMaxMs: Math.round(Math.max(...value.latencies)),
      otherTenantTrivialJobS: Number(value.lateDone.toFixed(1)),
    },
  };
}

/** Many clients submit small jobs at once; Redis memory per finished job and the API's peak RSS. */
async function load(cluster: Cluster, s: (typeof SIZES)[ChaosScale]): Promise<ScenarioResult> {
  const before = await cluster.redis.usedMemory();
  let peak = rssBytes(cluster.api.child.pid) ?? 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssBytes(cluster.api.child.pid) ?? 0);
  }, 200);
  try {
    const { value, seconds } = await timed(async () => {
      const perClient = Math.ceil(s.loadJobs / s.loadClients);
      const ids = await Promise.all(
        Array.from({ length: s.loadClients }, async (_, c) => {
          const key = c % 2 ? KEY_B : KEY_A;
          const mine: Submitted[] = [];
          for (let j = 0; j < perClient && c * perClient + j < s.loadJobs; j++) mine.push(await submit(cluster, key, 'describe'));
          return mine;
        }),
      );
      return settle(cluster, ids.flat(), s.stuckAfterS * 1000);
    });
    const after = await cluster.redis.usedMemory();
    return {
      scenario: `${s.loadJobs} jobs from ${s.loadClients} concurrent clients`,
      submitted: s.loadJobs,
      ...value,
      seconds,
      figures: { apiPeakRssMiB: Number((peak / 2 ** 20).toFixed(1)), redisBytesPerJob: Math.max(0, Math.round((after - before) / s.loadJobs)), redisUsedMemoryMiB: Number((after / 2 ** 20).toFixed(2)) },
    };
  } finally {
    clearInterval(sampler);
  }
}

/** SIGTERM while SSE clients watch a long job: streams end with a retry hint and the API exits within its grace period. */
async function sigtermWithSse(cluster: Cluster): Promise<ScenarioResult> {
  const { value, seconds } = await timed(async () => {
    const job = await submit(cluster, KEY_A, 'placebo', 1_000_000, 10_000, 9);
    const streams = await Promise.all(Array.from({ length: 3 }, () => fetch(`${cluster.api.url}/v1/jobs/${job.id}/events`, { headers: { 'X-API-Key': KEY_A } })));
    const ends = streams.map(async (res) => {
      const reader = res.body!.getReader();
      let text = '';
      for (;;) {
        const next = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (next.done) return text;
        text += new TextDecoder().decode(next.value);
      }
    });
    await sleep(500);
    const t0 = Date.now();
    const exit = exited(cluster.api.child);
    cluster.api.child.kill('SIGTERM');
    const code = await Promise.race([exit, sleep(15_000).then(() => null)]);
    const exitS = (Date.now() - t0) / 1000;
    const texts = await Promise.all(ends.map((e) => Promise.race([e, sleep(2000).then(() => '(still open)')])));
    await cluster.restartApi();
    await cluster.tenant(KEY_A).post(`/v1/jobs/${job.id}/cancel`, {});
    return { code, exitS, closedWithHint: texts.filter((t) => /event: shutdown/.test(t)).length };
  });
  return {
    scenario: 'SIGTERM with 3 open SSE clients',
    submitted: 1,
    succeeded: value.code?.code === 0 ? 1 : 0,
    failed: 0,
    lost: 0,
    stuck: value.code === null ? 1 : 0,
    duplicated: 0,
    seconds,
    figures: { exitSeconds: Number(value.exitS.toFixed(2)), exitCode: String(value.code?.code ?? 'none'), sseClosedWithRetryHint: value.closedWithHint },
  };
}

/**
 * Runs the scenarios on one cluster, in order (SIGTERM last). 'ci' is the short version; 'full' adds
 * the API kill and runs every scenario at the sizes recorded in benchmarks/results/cpu-2core/chaos.*.
 */
export async function runChaos(
  scale: ChaosScale,
  log: (line: string) => void = () => undefined,
  parts: { faults?: boolean; redisRestarts?: boolean; replicas?: boolean } = {},
): Promise<ChaosReport> {
  const faults = parts.faults ?? true;
  const redisRestarts = parts.redisRestarts ?? true;
  const replicas = parts.replicas ?? false;
  const s = SIZES[scale];
  const { loadavg, cpus } = await import('node:os');
  const startedAt = new Date().toISOString();
  const load1 = Number(loadavg()[0]!.toFixed(2));
  const results: ScenarioResult[] = [];
  const record = (r: ScenarioResult) => {
    results.push(r);
    log(`${r.scenario}: ${r.succeeded}/${r.submitted} succeeded, ${r.failed} failed, ${r.lost} lost, ${r.stuck} stuck, ${r.duplicated} duplicated in ${r.seconds.toFixed(1)} s ${JSON.stringify(r.figures)}${r.errors?.length ? ` errors: ${JSON.stringify(r.errors)}` : ""}`);
  };
  if (replicas) {
    if (!hasPostgres()) throw new Error('the replicas scenarios need PostgreSQL (initdb/postgres; .ci/install-system.sh)');
    // the distributed engine: 2 API replicas + 2 workers, Redis and PostgreSQL; requests alternate between the replicas
    const rep = await Cluster.start('replicas', {}, 'replicas');
    const named = (r: ScenarioResult): ScenarioResult => ({ ...r, scenario: `${REPLICAS_PREFIX}${r.scenario}` });
    try {
      record(named(await flood(rep, s)));
      record(named(await redisRestart(rep, s, false)));
    } finally {
      await rep.stop();
    }
  }
  if (!faults && !redisRestarts) return { scale, startedAt, load1, cpus: cpus().length, bounds: { stuckAfterS: s.stuckAfterS, otherTenantP95Ms: s.p95Ms }, scenarios: results };
  const main = await Cluster.start('main');
  try {
    if (faults) {
      record(await load(main, s));
      record(await workerKill(main, s));
      if (scale === 'full') record(await apiKill(main, s));
      record(await flood(main, s));
      record(await sigtermWithSse(main));
    }
    if (redisRestarts) record(await redisRestart(main, s, false));
  } finally {
    await main.stop();
  }
  if (redisRestarts) {
    // a fresh cluster whose Redis keeps an append-only file from the start
    const aof = await Cluster.start('aof');
    try {
      record(await redisRestart(aof, s, true));
    } finally {
      await aof.stop();
    }
  }
  return { scale, startedAt, load1, cpus: cpus().length, bounds: { stuckAfterS: s.stuckAfterS, otherTenantP95Ms: s.p95Ms }, scenarios: results };
}

export const CHAOS_BOUNDS = SIZES;

/** Scenario names of the distributed topology start with this. */
export const REPLICAS_PREFIX = '2 API replicas + PostgreSQL: ';
