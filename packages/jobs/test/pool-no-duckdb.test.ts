import { spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetPath, openJobSystem, ThreadPoolExecutor, type JobSystem } from '../src/index.js';
import { frameFileOf } from '../src/task-frames.js';

// Issue 17: a worker thread terminated with the DuckDB addon loaded can abort the whole process
// ("terminate called after throwing an instance of 'Napi::Error'"). Pool threads read datasets as
// Arrow IPC copies made where the dataset is registered, and refuse to load the addon at all.

const MPDTA = fileURLToPath(new URL('../../datasets/data/mpdta.csv', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/pool-terminate.mjs', import.meta.url));
const placebo = { outcome: 'lemp', cohort: 'first.treat', draws: 60, chunkSize: 20, seed: 7 };

describe('pool threads never load DuckDB', () => {
  let dataDir: string;
  let sys: JobSystem;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'panel-lab-no-duckdb-'));
    sys = await openJobSystem({ dataDir, threads: 2 });
  });
  afterAll(async () => {
    await sys?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a CSV upload gets an Arrow copy that jobs read; analysis, placebo and example jobs succeed in threads that refuse DuckDB', async () => {
    const d = await sys.datasets.upload('t', { name: 'mpdta', format: 'csv', unit: 'countyreal', time: 'year', categorical: [] }, createReadStream(MPDTA));
    expect(existsSync(datasetPath(dataDir, frameFileOf(d.file, 'csv')))).toBe(true);
    const jobs = [
      await sys.jobs.submitAnalysis('t', { dataset: { source: 'dataset', id: d.id }, analyses: [{ id: 'stats', estimator: 'describe' }] }),
      await sys.jobs.submitPlacebo('t', { dataset: { source: 'dataset', id: d.id }, ...placebo }),
      await sys.jobs.submitAnalysis('t', { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 'stats', estimator: 'describe' }] }),
    ];
    for (const job of jobs) {
      const done = await sys.jobs.waitFor('t', job.id, 120_000);
      expect({ id: done.id, state: done.state, error: done.error }).toEqual({ id: job.id, state: 'succeeded', error: null });
    }
    // the copy goes with the dataset
    await sys.datasets.delete('t', d.id);
    expect(existsSync(datasetPath(dataDir, frameFileOf(d.file, 'csv')))).toBe(false);
  }, 240_000);

  it('a dataset registered before copies existed is converted at submit, in the main thread', async () => {
    const d = await sys.datasets.upload('t', { name: 'old', format: 'csv', unit: 'countyreal', time: 'year', categorical: [] }, Readable.from([Buffer.from('countyreal,year,lemp,first.treat\n1,2003,1,0\n1,2004,2,0\n2,2003,3,2004\n2,2004,5,2004\n3,2003,1,0\n3,2004,1.5,0\n')]));
    await rm(datasetPath(dataDir, frameFileOf(d.file, 'csv')));
    const job = await sys.jobs.submitPlacebo('t', { dataset: { source: 'dataset', id: d.id }, outcome: 'lemp', cohort: 'first.treat', draws: 4, chunkSize: 2, seed: 1, se: false });
    const done = await sys.jobs.waitFor('t', job.id, 120_000);
    expect(done.state).toBe('succeeded');
    expect(existsSync(datasetPath(dataDir, frameFileOf(d.file, 'csv')))).toBe(true);
  }, 240_000);

  it('a thread asked to read the CSV itself fails the task naming the rule instead of loading the addon', async () => {
    const pool = new ThreadPoolExecutor({ dataDir, size: 1 });
    try {
      await mkdir(join(dataDir, 'raw'), { recursive: true });
      await copyFile(MPDTA, join(dataDir, 'raw', 'm.csv'));
      const ref = { id: 'ds_raw', file: 'raw/m.csv', format: 'csv' as const, unit: 'countyreal', time: 'year', categorical: [] };
      const task = { type: 'placebo-chunk' as const, dataset: { source: 'dataset' as const, ref }, options: { ...placebo, dataset: { source: 'dataset' as const, id: 'ds_raw' }, controls: [], mode: 'A_units_true_timing', se: true, excludeTrueTreated: false }, chunkIndex: 0 };
      await expect(pool.run(task, { jobId: 'job_raw' })).rejects.toThrow(/DuckDB native addon must not load in a job pool thread/);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('the process survives threads terminated again and again while they read a registered CSV dataset', async () => {
    await mkdir(join(dataDir, 'loop'), { recursive: true });
    await copyFile(MPDTA, join(dataDir, 'loop', 'm.csv'));
    // each round starts two threads (about 1-2 s of CPU each from the TypeScript sources): CI runs a few
    const rounds = Number(process.env.PANEL_LAB_POOL_TERMINATE_ROUNDS ?? 4);
    const child = spawn(process.execPath, [CHILD, dataDir, 'loop/m.csv', String(rounds)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const status = await new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    expect(err).not.toMatch(/terminate called|Napi::Error/);
    expect(status, err.slice(-2000)).toEqual({ code: 0, signal: null });
    const summary = JSON.parse(out.trim().split('\n').at(-1)!) as { survived: boolean; rounds: number; cancelled: number; finished: number; other: string[] };
    expect(summary).toMatchObject({ survived: true, rounds, other: [] });
    expect(summary.cancelled + summary.finished).toBe(rounds);
  }, 600_000);
});
