import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { api, KEY_A, tempDir, waitForJob } from './helpers.js';

const MAIN = fileURLToPath(new URL('../bin/main.js', import.meta.url));

/** Runs the real server process (bin/main.js) on 127.0.0.1:0 and reads its URL from the log. */
function startProcess(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', PANEL_LAB_DATA_DIR: dataDir, PANEL_LAB_API_KEYS: `alpha:${KEY_A}`, PANEL_LAB_THREADS: '2' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`api did not start; stderr: ${stderr.slice(-2000)}`)), 90_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const line = out.split('\n').find((l) => l.includes('"api listening"'));
      if (line) {
        clearTimeout(timer);
        resolve({ child, url: (JSON.parse(line) as { url: string }).url });
      }
    });
  });
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

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
