import { describe, expect, it } from 'vitest';
import { api, KEY_A, tempDir } from './helpers.js';
import { exited, killed, startProcess } from './process.js';

type Json = Record<string, any>;

/** Reads a response body as text until the server ends it (bounded). */
async function readToEnd(res: Response, timeoutMs: number): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))]);
    if (!next || next.done) break;
    text += decoder.decode(next.value, { stream: true });
  }
  return text;
}

describe('SIGTERM with SSE clients connected and a job running', () => {
  it('ends the streams with a retry hint, requeues the job, and exits within the grace period', async () => {
    const tmp = await tempDir('panel-lab-api-sigterm-');
    const grace = 4000;
    let proc = await startProcess(tmp.dir, { PANEL_LAB_SHUTDOWN_GRACE_MS: String(grace), PANEL_LAB_SSE_RETRY_MS: '1500', PANEL_LAB_THREADS: '1' });
    try {
      const a = api(proc.url, KEY_A);
      const spec = { dataset: { source: 'example', name: 'mpdta' }, outcome: 'lemp', cohort: 'first.treat', draws: 1_000_000, chunkSize: 10_000, seed: 5, se: false };
      const job = (await (await a.post('/v1/placebo', spec)).json()) as Json;
      for (let i = 0; i < 400; i++) {
        if (((await (await a.get(`/v1/jobs/${job.id}`)).json()) as Json).state === 'running') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const streams = await Promise.all([a.get(`/v1/jobs/${job.id}/events`), a.get(`/v1/jobs/${job.id}/events`)]);
      expect(streams.map((s) => s.status)).toEqual([200, 200]);
      const bodies = streams.map((s) => readToEnd(s, grace + 5000));
      await new Promise((r) => setTimeout(r, 200)); // the first job event is out
      const t0 = Date.now();
      const exit = exited(proc.child);
      proc.child.kill('SIGTERM');
      for (const text of await Promise.all(bodies)) {
        expect(text).toMatch(/event: job\n/);
        expect(text).toMatch(/retry: 1500\nevent: shutdown\ndata: \{"reason":"the server is shutting down","retryMs":1500\}\n\n$/);
      }
      expect(await exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - t0).toBeLessThan(grace + 2000);
      // the next process runs the job again: it was put back to 'queued', not left 'running' nor failed
      proc = await startProcess(tmp.dir, { PANEL_LAB_THREADS: '1' });
      const after = (await (await api(proc.url, KEY_A).get(`/v1/jobs/${job.id}`)).json()) as Json;
      expect(['queued', 'running']).toContain(after.state);
      expect(after.notes.join('\n')).toMatch(/requeued by a server shutdown while running/);
      await api(proc.url, KEY_A).post(`/v1/jobs/${job.id}/cancel`, {});
      const t1 = Date.now();
      proc.child.kill('SIGTERM');
      expect(await exited(proc.child)).toEqual({ code: 0, signal: null });
      expect(Date.now() - t1).toBeLessThan(3000);
    } finally {
      await killed(proc.child);
      await tmp.cleanup();
    }
  }, 180_000);
});
