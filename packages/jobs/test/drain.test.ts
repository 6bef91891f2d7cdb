import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJobSystem, QueueUnavailableError } from '../src/index.js';
import { HeldExecutor, until } from './held-executor.js';

const spec = { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 'stats', estimator: 'describe' }] };

describe('JobService.drain', () => {
  it('lets a job that finishes in time succeed, requeues the one still running, keeps queued ones, refuses new ones', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'panel-lab-drain-'));
    const executor = new HeldExecutor();
    const sys = await openJobSystem({ dataDir, executor, maxRunning: 2, limits: { runningJobs: 2 } });
    try {
      const quick = await sys.jobs.submitAnalysis('t', spec);
      const slow = await sys.jobs.submitAnalysis('t', spec);
      const waiting = await sys.jobs.submitAnalysis('t', spec);
      await until(() => executor.holding.length === 2, 5000, 'two running tasks');
      const drained = sys.jobs.drain(400);
      await expect(sys.jobs.submitAnalysis('t', spec)).rejects.toBeInstanceOf(QueueUnavailableError);
      executor.finish(quick.id, { kind: 'analysis_written', analyses: ['stats'], seconds: 0 });
      expect(await drained).toEqual({ finished: 1, requeued: [slow.id] });
      expect((await sys.jobs.get('t', quick.id)).state).toBe('succeeded');
      const requeued = await sys.jobs.get('t', slow.id);
      expect(requeued.state).toBe('queued');
      expect(requeued.notes.at(-1)).toMatch(/requeued by a server shutdown while running/);
      expect((await sys.jobs.get('t', waiting.id)).state).toBe('queued');
      expect(executor.started).not.toContain(waiting.id);
    } finally {
      await sys.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
