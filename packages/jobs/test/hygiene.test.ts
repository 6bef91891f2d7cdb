import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError, openJobSystem, redactPaths } from '../src/index.js';
import { HeldExecutor, until } from './held-executor.js';

const spec = { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 'stats', estimator: 'describe' }] };

describe('no server paths in what tenants see', () => {
  it('reduces paths under the data directory, the process roots and common server directories to file names', () => {
    expect(redactPaths("cannot read '/srv/panel/tmp/ds_0123.parquet'", ['/srv/panel'])).toBe("cannot read 'ds_0123.parquet'");
    expect(redactPaths(`at f (${join(process.cwd(), 'src', 'x.ts')}:3:1)`)).toBe('at f (x.ts:3:1)');
    expect(redactPaths('ENOENT: /home/ops/data/tenants/a/datasets/ds_1.arrow')).toBe('ENOENT: ds_1.arrow');
    // URLs and column names are not paths
    expect(redactPaths("Cannot GET /v1/jobs/job_1; column 'a/b' is missing")).toBe("Cannot GET /v1/jobs/job_1; column 'a/b' is missing");
  });

  it("an upload the reader rejects, and a task's file error, name the file but not the data directory", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'panel-lab-hygiene-'));
    const executor = new HeldExecutor();
    const sys = await openJobSystem({ dataDir, executor });
    try {
      const err = await sys.datasets.upload('t', { name: 'g', format: 'parquet', unit: 'u', time: 't', categorical: [] }, Readable.from([Buffer.from('not parquet at all')])).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).not.toContain(dataDir);
      expect((err as Error).message).not.toMatch(/\/tmp\//);
      const job = await sys.jobs.submitAnalysis('t', spec);
      await until(() => executor.holding.includes(job.id));
      executor.fail(job.id, new Error(`cannot read '${join(dataDir, 'tenants', 't', 'datasets', 'ds_0123456789abcdef.arrow')}'`));
      const failed = await sys.jobs.waitFor('t', job.id, 5000);
      expect(failed.error?.message).toBe("cannot read 'ds_0123456789abcdef.arrow'");
    } finally {
      await sys.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('in-memory bookkeeping stays bounded', () => {
  it('forgets finished jobs past settledMax; nothing else is left behind', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'panel-lab-memory-'));
    const executor = new HeldExecutor();
    const sys = await openJobSystem({ dataDir, executor, limits: { activeJobs: 100, queuedJobs: 100, runningJobs: 4 } });
    // settledMax is a JobService option; reach it through a second service on the same store
    const { JobService } = await import('../src/job-service.js');
    const jobs = new JobService({ store: sys.store, dir: sys.dir, executor, limitsOf: sys.limitsOf, settledMax: 5 });
    try {
      for (let i = 0; i < 12; i++) {
        const job = await jobs.submitAnalysis('t', spec);
        await until(() => executor.holding.includes(job.id));
        executor.finish(job.id, { kind: 'analysis_written', analyses: ['stats'], seconds: 0 });
        expect((await jobs.waitFor('t', job.id, 5000)).state).toBe('succeeded');
      }
      await until(() => jobs.memoryStats().live === 0, 2000, 'live records to reach the store');
      expect(jobs.memoryStats()).toEqual({ waiting: 0, running: 0, live: 0, settled: 5, lastWrite: 0 });
    } finally {
      await jobs.close();
      await sys.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('describe', () => {
  it('reads the file once: later calls are served from memory, and a deleted dataset is forgotten', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'panel-lab-describe-'));
    const sys = await openJobSystem({ dataDir, executor: new HeldExecutor() });
    try {
      const csv = `u,t,y\n${Array.from({ length: 6 }, (_, i) => `${1 + (i % 3)},${2000 + Math.floor(i / 3)},${i}`).join('\n')}\n`;
      const d = await sys.datasets.upload('t', { name: 'small', format: 'csv', unit: 'u', time: 't', categorical: [] }, Readable.from([csv]));
      const first = await sys.datasets.describe('t', d.id);
      expect(first.facts.units).toHaveLength(3);
      // the file is gone, yet the description stands: no second read
      await rm(join(dataDir, d.file));
      expect(await sys.datasets.describe('t', d.id)).toEqual(first);
      await sys.datasets.delete('t', d.id);
      await expect(sys.datasets.describe('t', d.id)).rejects.toThrow(/not found/);
    } finally {
      await sys.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
