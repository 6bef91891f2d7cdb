// API load (loopback only, bounded): `clients` concurrent clients submit `jobs` small analysis jobs
// to a real API process (apps/api, embedded thread pool) and poll each job's status until it
// finishes. Every job must succeed and none may be lost; the latency of the status calls is
// recorded (p50, p95, max). The API runs as a child process, as clients would see it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';

const API_MAIN = fileURLToPath(new URL('../../../apps/api/bin/main.js', import.meta.url));
const KEY = 'bench-load-key-0123456789';
const LOAD: Record<Scale, { jobs: number; clients: number }> = {
  quick: { jobs: 40, clients: 8 },
  seed: { jobs: 200, clients: 20 },
  large: { jobs: 200, clients: 20 },
};
const SPEC = { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 'stats', estimator: 'describe' }] };
const DEADLINE_MS = 300_000;

interface Api {
  child: ChildProcess;
  url: string;
  dataDir: string;
}

/** Starts apps/api on 127.0.0.1 port 0 and reads its URL from the 'api listening' log line. */
async function startApi(): Promise<Api> {
  const dataDir = mkdtempSync(join(tmpdir(), 'panel-lab-api-load-'));
  const child = spawn(process.execPath, [API_MAIN], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', PANEL_LAB_DATA_DIR: dataDir, PANEL_LAB_API_KEYS: `bench:${KEY}`, PANEL_LAB_MAX_ACTIVE_JOBS: '1000', PANEL_LAB_THREADS: '2' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.on('exit', () => {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('api-load: the API did not start within 120 s')), 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const line = buffer.split('\n').find((l) => l.includes('"api listening"'));
      if (line) {
        clearTimeout(timer);
        // the suite process may exit while the API runs: its 'exit' handler then stops it
        child.unref();
        (child.stdout as unknown as { unref(): void }).unref();
        resolve((JSON.parse(line) as { url: string }).url);
      }
      if (buffer.length > 1e6) buffer = buffer.slice(-1e5);
    });
    child.once('exit', (code) => reject(new Error(`api-load: the API exited with code ${code}`)));
  });
  return { child, url, dataDir };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

async function load(api: Api, jobs: number, clients: number): Promise<Record<string, unknown>> {
  const headers = { 'X-API-Key': KEY, 'Content-Type': 'application/json' };
  const statusMs: number[] = [];
  const submitMs: number[] = [];
  const states: Record<string, number> = {};
  const ids: string[] = [];
  const deadline = Date.now() + DEADLINE_MS;
  const client = async (c: number) => {
    for (let j = c; j < jobs; j += clients) {
      let t0 = performance.now();
      const res = await fetch(`${api.url}/v1/analyses`, { method: 'POST', headers, body: JSON.stringify({ ...SPEC, name: `load-${j}` }) });
      submitMs.push(performance.now() - t0);
      if (res.status !== 202) throw new Error(`api-load: submit ${j} answered ${res.status}: ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      ids.push(id);
      for (;;) {
        t0 = performance.now();
        const job = (await (await fetch(`${api.url}/v1/jobs/${id}`, { headers })).json()) as { state: string };
        statusMs.push(performance.now() - t0);
        if (['succeeded', 'failed', 'cancelled'].includes(job.state)) {
          states[job.state] = (states[job.state] ?? 0) + 1;
          break;
        }
        if (Date.now() > deadline) throw new Error(`api-load: job ${id} still ${job.state} after ${DEADLINE_MS} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  const listed = ((await (await fetch(`${api.url}/v1/jobs`, { headers })).json()) as { jobs: { id: string }[] }).jobs.map((j) => j.id);
  const lost = ids.filter((id) => !listed.includes(id)).length;
  if ((states.succeeded ?? 0) !== jobs || lost > 0) throw new Error(`api-load: ${JSON.stringify(states)} of ${jobs} jobs, ${lost} lost`);
  statusMs.sort((a, b) => a - b);
  submitMs.sort((a, b) => a - b);
  const p50 = Number(percentile(statusMs, 0.5).toFixed(2));
  const p95 = Number(percentile(statusMs, 0.95).toFixed(2));
  return {
    note: `status calls p50 ${p50} ms, p95 ${p95} ms (${statusMs.length} calls); ${states.succeeded ?? 0}/${jobs} jobs succeeded, ${lost} lost`,
    jobs_succeeded: states.succeeded ?? 0,
    jobs_lost: lost,
    status_calls: statusMs.length,
    status_p50_ms: p50,
    status_p95_ms: p95,
    status_max_ms: Number(statusMs[statusMs.length - 1]!.toFixed(2)),
    submit_p95_ms: Number(percentile(submitMs, 0.95).toFixed(2)),
  };
}

let started: Promise<Api> | null = null;

export const suite: BenchSuite = {
  name: 'api-load',
  description: 'HTTP API on loopback: N small analysis jobs from C concurrent clients; every job completes, none lost; status-call latency p50/p95',
  cases(scale: Scale): BenchCase[] {
    const { jobs, clients } = LOAD[scale];
    return [
      {
        name: `api-${jobs}-jobs-${clients}-clients`,
        params: { jobs, clients, threads: 2, estimator: 'describe', dataset: 'mpdta' },
        setup: () => (started ??= startApi()),
        run: async (api) => load(api as Api, jobs, clients),
      },
    ];
  },
};
