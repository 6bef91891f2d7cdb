import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { loadMpdta } from '@panel-lab/datasets';
import { runPlacebo, twfeArrays, type PlaceboResult } from '@panel-lab/resample';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConflictError,
  InputError,
  LimitError,
  NotFoundError,
  TooLargeError,
  datasetPath,
  openJobSystem,
  type JobSystem,
} from '../src/index.js';
import { HeldExecutor } from './held-executor.js';

const mpdtaCsv = async () => {
  const frame = await loadMpdta();
  const names = frame.columnNames;
  const cols = names.map((n) => frame.numeric(n));
  const lines = [names.join(',')];
  for (let i = 0; i < frame.nrows; i++) lines.push(cols.map((c) => String(c[i])).join(','));
  return `${lines.join('\n')}\n`;
};

describe('job system (embedded: DuckDB metadata + worker threads)', () => {
  let dataDir: string;
  let sys: JobSystem;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'panel-lab-jobs-'));
    sys = await openJobSystem({ dataDir, threads: 2, limits: { uploadBytes: 200_000, activeJobs: 5, datasets: 3 } });
  });
  afterAll(async () => {
    await sys?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stores only hashes of API keys and maps each key to its tenant', async () => {
    await sys.store.putApiKey('secret-key-a', 'tenant-a');
    expect(await sys.store.tenantOfKey('secret-key-a')).toBe('tenant-a');
    expect(await sys.store.tenantOfKey('secret-key-b')).toBeNull();
    const db = await readFile(sys.dir.metaFile).catch(() => Buffer.alloc(0));
    expect(db.includes(Buffer.from('secret-key-a'))).toBe(false);
  });

  it('an analysis job with a failing analysis keeps the others and says which failed; all failing fails the job', async () => {
    const bad = { id: 'es', estimator: 'event_study', outcomes: ['D'], cohort: 'first.treat' };
    const job = await sys.jobs.submitAnalysis('tenant-f', { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 'stats', estimator: 'describe' }, bad] });
    const done = await sys.jobs.waitFor('tenant-f', job.id, 60_000);
    expect(done.state).toBe('succeeded');
    expect(done.progress.step).toBe('done; 1 analysis(es) failed');
    expect(done.notes.some((n) => n.startsWith("failed: analyses[1] 'es': outcome 'D'"))).toBe(true);
    const all = await sys.jobs.submitAnalysis('tenant-f', { dataset: { source: 'example', name: 'mpdta' }, analyses: [bad] });
    const failed = await sys.jobs.waitFor('tenant-f', all.id, 60_000);
    expect(failed.state).toBe('failed');
    expect(failed.error?.message).toMatch(/every analysis failed: failed: analyses\[0\] 'es'/);
  });

  it('uploads a CSV panel, describes it, and hides it from another tenant', async () => {
    const d = await sys.datasets.upload('tenant-a', { name: 'mpdta', format: 'csv', unit: 'countyreal', time: 'year', categorical: [] }, Readable.from([await mpdtaCsv()]));
    expect(d.rows).toBe(2500);
    const described = await sys.datasets.describe('tenant-a', d.id);
    expect(described.facts.balanced).toBe(true);
    expect(described.columns.find((c) => c.name === 'countyreal')?.role).toBe('unit');
    await expect(sys.datasets.get('tenant-b', d.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await sys.datasets.list('tenant-b')).toEqual([]);
    await expect(sys.jobs.submitAnalysis('tenant-b', { dataset: { source: 'dataset', id: d.id }, analyses: [{ id: 's', estimator: 'describe' }] })).rejects.toBeInstanceOf(InputError);
  });

  it('rejects a malformed upload naming the fault and keeps nothing of it', async () => {
    const bad = 'countyreal,year,lemp\n1,2003,5.1\n1,2003,5.2\n';
    const err = await sys.datasets.upload('tenant-c', { name: 'dup', format: 'csv', unit: 'countyreal', time: 'year', categorical: [] }, Readable.from([bad])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(String((err as Error).message)).toMatch(/2003|duplicate/i);
    expect(await sys.datasets.list('tenant-c')).toEqual([]);
  });

  it('stops an upload over the tenant limit with TooLargeError', async () => {
    const big = Readable.from((function* () {
      for (let i = 0; i < 100; i++) yield Buffer.alloc(10_000, 0x31);
    })());
    await expect(sys.datasets.upload('tenant-c', { name: 'big', format: 'csv', unit: 'u', time: 't', categorical: [] }, big)).rejects.toBeInstanceOf(TooLargeError);
  });

  it('refuses dataset files outside the data directory', () => {
    expect(() => datasetPath(dataDir, '../etc/passwd')).toThrow(/outside the data directory/);
    expect(() => datasetPath(dataDir, '/etc/passwd')).toThrow(/outside the data directory/);
  });

  it('runs an analysis job in a worker thread and writes its report', async () => {
    const job = await sys.jobs.submitAnalysis('tenant-a', { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 'stats', estimator: 'describe' }] });
    const done = await sys.jobs.waitFor('tenant-a', job.id, 60_000);
    expect(done.state).toBe('succeeded');
    expect(done.progress.fraction).toBe(1);
    const { dir } = await sys.jobs.resultDir('tenant-a', job.id);
    expect(await readFile(join(dir, 'report', 'report.html'), 'utf8')).toMatch(/<html/i);
    await expect(sys.jobs.get('tenant-b', job.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('rejects the file source (no server paths through specs)', async () => {
    await expect(sys.jobs.submitAnalysis('tenant-a', { dataset: { source: 'file', path: '/etc/passwd', unit: 'a', time: 'b' }, analyses: [{ id: 's', estimator: 'describe' }] })).rejects.toThrow(/dataset.source/);
  });

  it('a chunked placebo job equals the single-process placebo test for the same seed', async () => {
    const options = { dataset: { source: 'example', name: 'mpdta' }, outcome: 'lemp', cohort: 'first.treat', draws: 50, chunkSize: 15, seed: 7 };
    const job = await sys.jobs.submitPlacebo('tenant-a', options);
    const done = await sys.jobs.waitFor('tenant-a', job.id, 60_000);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.progress.done).toBe(50);
    const children = await sys.jobs.children('tenant-a', job.id);
    expect(children.map((c) => c.state)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    const { dir } = await sys.jobs.resultDir('tenant-a', job.id);
    const merged = JSON.parse(await readFile(join(dir, 'result.json'), 'utf8')) as PlaceboResult;
    const single = await runPlacebo(twfeArrays(await loadMpdta(), { outcome: 'lemp', cohort: 'first.treat' }), { seed: 7, draws: 50, chunkSize: 15 });
    expect(merged.draws.beta).toEqual(single.draws.beta);
    expect(merged.summary.pTwoSided).toBe(single.summary.pTwoSided);
    expect(merged.estimate.beta).toBe(single.estimate.beta);
  });

});

describe('restart recovery', () => {
  it('resumes a job left running by a dead process, and fails one past its attempts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'panel-lab-recover-'));
    try {
      const first = await openJobSystem({ dataDir, threads: 1 });
      const base = {
        tenant: 't1', kind: 'analysis' as const, parentId: null, createdAt: new Date().toISOString(), startedAt: new Date().toISOString(), finishedAt: null,
        progress: { fraction: 0.5, step: 'half way' }, error: null, notes: [],
        input: { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 'stats', estimator: 'describe' }] },
      };
      // what a killed process leaves behind: rows still 'running'
      await first.store.putJob({ ...base, id: 'job_resume', state: 'running', attempts: 1 });
      await first.store.putJob({ ...base, id: 'job_giveup', state: 'running', attempts: 3 });
      await first.store.close();
      await first.executor.close();
      const second = await openJobSystem({ dataDir, threads: 1, maxAttempts: 3 });
      try {
        const resumed = await second.jobs.waitFor('t1', 'job_resume', 60_000);
        expect(resumed.state).toBe('succeeded');
        expect(resumed.attempts).toBe(2);
        expect(resumed.notes.join()).toMatch(/interrupted by a restart while running; resumed/);
        const failed = await second.jobs.get('t1', 'job_giveup');
        expect(failed.state).toBe('failed');
        expect(failed.error?.message).toMatch(/interrupted by a restart 3 times/);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});


describe('queue states with a held executor', () => {
  it('cancels queued and running jobs and enforces the active-job limit per tenant', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'panel-lab-held-'));
    const executor = new HeldExecutor();
    const sys = await openJobSystem({ dataDir, executor, maxRunning: 1, limits: { activeJobs: 2 } });
    try {
      const spec = { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 'stats', estimator: 'describe' }] };
      const a = await sys.jobs.submitAnalysis('t', spec);
      const b = await sys.jobs.submitAnalysis('t', spec);
      await expect(sys.jobs.submitAnalysis('t', spec)).rejects.toBeInstanceOf(LimitError);
      // another tenant has its own limit
      const other = await sys.jobs.submitAnalysis('u', spec);
      expect((await sys.jobs.get('t', b.id)).state).toBe('queued');
      const cb = await sys.jobs.cancel('t', b.id);
      expect(cb.state).toBe('cancelled');
      await expect(sys.jobs.cancel('u', a.id)).rejects.toBeInstanceOf(NotFoundError);
      for (let i = 0; i < 100 && !executor.started.includes(a.id); i++) await new Promise((r) => setTimeout(r, 20));
      expect((await sys.jobs.get('t', a.id)).state).toBe('running');
      const ca = await sys.jobs.cancel('t', a.id);
      expect(ca.state).toBe('cancelled');
      await expect(sys.jobs.cancel('t', a.id)).rejects.toBeInstanceOf(ConflictError);
      await sys.jobs.cancel('u', other.id);
      expect(executor.started).not.toContain(b.id);
    } finally {
      await sys.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
