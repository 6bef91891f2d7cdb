import { describe, expect, it } from 'vitest';
import { api, KEY_A, tempDir, waitForJob } from './helpers.js';
import { killed, startProcess } from './process.js';

describe('a server process killed mid-job', () => {
  it('resumes the job after a restart, keeping the chunks already done', async () => {
    const tmp = await tempDir('panel-lab-api-kill-');
    let proc = await startProcess(tmp.dir);
    try {
      const spec = { dataset: { source: 'example', name: 'mpdta' }, outcome: 'lemp', cohort: 'first.treat', draws: 200_000, chunkSize: 10_000, seed: 5, se: false };
      const job = (await (await api(proc.url, KEY_A).post('/v1/placebo', spec)).json()) as { id: string };
      let before: { state: string; progress: { done?: number } } | undefined;
      for (let i = 0; i < 600; i++) {
        before = (await (await api(proc.url, KEY_A).get(`/v1/jobs/${job.id}`)).json()) as typeof before;
        if ((before!.progress.done ?? 0) > 0 || before!.state !== 'running' && before!.state !== 'queued') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(before!.state).toBe('running');
      const killedAt = new Date().toISOString();
      await killed(proc.child);
      proc = await startProcess(tmp.dir);
      const done = (await waitForJob(proc.url, KEY_A, job.id, 120_000)) as { state: string; attempts: number; notes: string[]; chunks: { total: number; succeeded: number } };
      expect(done.state).toBe('succeeded');
      expect(done.attempts).toBe(2);
      expect(done.notes.join('\n')).toMatch(/interrupted by a restart while running; resumed/);
      expect(done.chunks).toMatchObject({ total: 20, succeeded: 20 });
      const result = (await (await api(proc.url, KEY_A).get(`/v1/jobs/${job.id}/result`)).json()) as { draws: { beta: unknown[] } };
      expect(result.draws.beta).toHaveLength(200_000);
      // chunks finished before the kill were kept, not recomputed
      const chunks = ((await (await api(proc.url, KEY_A).get(`/v1/jobs/${job.id}/chunks`)).json()) as { chunks: { finishedAt: string; state: string }[] }).chunks;
      expect(chunks).toHaveLength(20);
      expect(chunks.filter((c) => c.state === 'succeeded' && c.finishedAt < killedAt).length).toBeGreaterThan(0);
    } finally {
      await killed(proc.child);
      await tmp.cleanup();
    }
  }, 240_000);
});
