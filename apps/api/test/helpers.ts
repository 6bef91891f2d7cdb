import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateChinaPanel } from '@panel-lab/datasets';
import { writePanel } from '@panel-lab/panel';
import { DEFAULT_RETENTION } from '@panel-lab/jobs';
import { startApiServer, type ApiConfig, type ApiServer } from '../src/index.js';

export const KEY_A = 'tenant-a-key-0123456789';
export const KEY_B = 'tenant-b-key-0123456789';

export function testConfig(dataDir: string, overrides: Partial<ApiConfig> = {}): ApiConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    dataDir,
    apiKeys: [
      { key: KEY_A, tenant: 'alpha' },
      { key: KEY_B, tenant: 'beta' },
    ],
    limits: { uploadBytes: 2_000_000, activeJobs: 10, datasets: 10 },
    tenantLimits: {},
    threads: 2,
    maxRunning: 4,
    chunkConcurrency: 2,
    redisUrl: null,
    queueName: 'panel-lab-test',
    queue: { checkIntervalMs: 500, lostAfterMs: 2000, unreachableAfterMs: 5000, requeueLost: 1, retention: DEFAULT_RETENTION },
    authFailures: 20,
    authWindowMs: 60_000,
    shutdownGraceMs: 3000,
    sseRetryMs: 1000,
    log: 'silent',
    ...overrides,
  };
}

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function startTestServer(dataDir: string, overrides: Partial<ApiConfig> = {}): Promise<ApiServer> {
  return startApiServer(testConfig(dataDir, overrides));
}

/** A small synthetic China city panel written in the given format (bytes). */
export async function panelBytes(dir: string, format: 'csv' | 'arrow' | 'parquet', cities = 40): Promise<Buffer> {
  const path = join(dir, `panel-${cities}.${format}`);
  await writePanel(generateChinaPanel({ seed: 11, cities }).frame, path, { format });
  return readFile(path);
}

export function api(base: string, key: string | null) {
  const headers = (extra: Record<string, string> = {}) => ({ ...(key ? { 'X-API-Key': key } : {}), ...extra });
  return {
    get: (path: string) => fetch(`${base}${path}`, { headers: headers() }),
    del: (path: string) => fetch(`${base}${path}`, { method: 'DELETE', headers: headers() }),
    post: (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: JSON.stringify(body) }),
    upload: (path: string, body: Uint8Array | string, contentType: string) => fetch(`${base}${path}`, { method: 'POST', headers: headers({ 'Content-Type': contentType }), body }),
  };
}

/** Reads a server-sent event stream to its end; returns the data of each `job` event. */
export async function readSse(res: Response, timeoutMs = 120_000): Promise<Record<string, unknown>[]> {
  const events: Record<string, unknown>[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (block.includes('event: job') && data) events.push(JSON.parse(data.slice(6)) as Record<string, unknown>);
    }
  }
  return events;
}

/** Polls a job's status until it is terminal (bounded). */
export async function waitForJob(base: string, key: string, id: string, timeoutMs = 120_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await (await api(base, key).get(`/v1/jobs/${id}`)).json()) as Record<string, unknown>;
    if (['succeeded', 'failed', 'cancelled'].includes(String(job.state)) || Date.now() > deadline) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}
