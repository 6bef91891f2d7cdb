// Real processes for the chaos suite, on loopback only: redis-server, the API (bin/main.js) and
// queue workers (apps/worker/bin/main.js), each a child process that a scenario may kill -9.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const API_MAIN = fileURLToPath(new URL('../bin/main.js', import.meta.url));
const WORKER_MAIN = fileURLToPath(new URL('../../worker/bin/main.js', import.meta.url));

export const KEY_A = 'chaos-tenant-a-0123456789';
export const KEY_B = 'chaos-tenant-b-0123456789';
export const API_KEYS = `alpha:${KEY_A},beta:${KEY_B}`;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once the process has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

export async function kill9(child: ChildProcess): Promise<void> {
  const done = exited(child);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await done;
}

/** Resident set size of a process in bytes (Linux /proc), or null where it cannot be read. */
export function rssBytes(pid: number | undefined): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D+/g, '')) * 1024 : null;
  } catch {
    return null; // the process is gone: the caller records no sample
  }
}

/** One Redis command over a raw socket (RESP inline form); returns the reply text. */
export function redisCommand(port: number, command: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`redis ${command}: no reply within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('data', (c) => {
      data += c.toString('utf8');
      const bulk = /^\$(\d+)\r\n/.exec(data);
      if ((bulk && Buffer.byteLength(data) >= bulk[0].length + Number(bulk[1]) + 2) || (!bulk && /\r\n$/.test(data) && !data.startsWith('$'))) {
        clearTimeout(timer);
        socket.end();
        resolve(bulk ? data.slice(bulk[0].length, bulk[0].length + Number(bulk[1])) : data.trim());
      }
    });
    socket.write(`${command}\r\n`);
  });
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  child: ChildProcess;
  /** used_memory from INFO memory, bytes. */
  usedMemory(): Promise<number>;
  kill9(): Promise<void>;
  /** Turns on the append-only file (fsync always) from now on, restarts included. */
  persist(): Promise<void>;
  /** Starts it again on the same port (and the same AOF folder when persistent). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** redis-server on a free loopback port, no persistence until persist(); its files go to `dir`. */
export async function startRedis(dir: string): Promise<RedisServer> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--protected-mode', 'yes', '--dir', dir, '--appendonly', 'no'];
  const launch = async () => {
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if ((await redisCommand(port, 'PING', 500).catch(() => '')) === '+PONG') return child;
      await sleep(100);
    }
    child.kill('SIGKILL');
    throw new Error(`redis-server did not answer on port ${port}`);
  };
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    child: await launch(),
    async usedMemory() {
      const info = await redisCommand(port, 'INFO memory');
      return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
    },
    kill9: () => kill9(server.child),
    async persist() {
      for (const c of ['CONFIG SET appendfsync always', 'CONFIG SET appendonly yes']) {
        const reply = await redisCommand(port, c);
        if (reply !== '+OK') throw new Error(`redis ${c}: ${reply}`);
      }
      args.splice(args.indexOf('--appendonly'), 2, '--appendonly', 'yes', '--appendfsync', 'always');
      // the first rewrite of the append-only file runs in the background: wait for it
      for (let i = 0; i < 100 && /aof_rewrite_in_progress:1|aof_rewrite_scheduled:1/.test(await redisCommand(port, 'INFO persistence')); i++) await sleep(100);
    },
    async restart() {
      server.child = await launch();
    },
    async stop() {
      await kill9(server.child);
    },
  };
  return server;
}

/** A child process that logs JSON lines on stdout. */
export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly logs: Record<string, unknown>[];
  stderr(): string;
}

function spawnService(main: string, env: Record<string, string>, ready: (line: Record<string, unknown>) => boolean, what: string): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [main], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-20_000);
  });
  return new Promise((resolve, reject) => {
    let rest = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 90 s; stderr: ${stderr.slice(-2000)}`)), 90_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before it was ready; stderr: ${stderr.slice(-2000)}`));
    });
    child.stdout!.on('data', (c: Buffer) => {
      rest += c.toString('utf8');
      let cut: number;
      while ((cut = rest.indexOf('\n')) >= 0) {
        const line = rest.slice(0, cut);
        rest = rest.slice(cut + 1);
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue; // not a log line
        }
        if (logs.length < 5000) logs.push(parsed);
        if (ready(parsed)) {
          clearTimeout(timer);
          resolve({ child, logs, stderr: () => stderr });
        }
      }
    });
  });
}

export interface ApiProcess extends ServiceProcess {
  readonly url: string;
}

/** The API on 127.0.0.1:0 with the BullMQ executor on the given Redis. */
export async function startApi(dataDir: string, redisUrl: string, queue: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  const service = await spawnService(
    API_MAIN,
    {
      HOST: '127.0.0.1',
      PORT: '0',
      PANEL_LAB_DATA_DIR: dataDir,
      PANEL_LAB_API_KEYS: API_KEYS,
      PANEL_LAB_REDIS_URL: redisUrl,
      PANEL_LAB_QUEUE: queue,
      PANEL_LAB_LOG: 'info',
      PANEL_LAB_TASK_CHECK_MS: '500',
      PANEL_LAB_TASK_LOST_MS: '3000',
      PANEL_LAB_QUEUE_DOWN_MS: '20000',
      ...env,
    },
    (l) => l.message === 'api listening',
    'api',
  );
  const line = service.logs.find((l) => l.message === 'api listening')!;
  const url = String(line.url);
  // 'api listening' is logged once the queue answers (issue 17): /ready must say so at once, no polling
  const status = await fetch(`${url}/ready`).then(
    (r) => r.status,
    () => 0,
  );
  if (status !== 200) throw new Error(`api at ${url} logged 'api listening' but /ready answered ${status}`);
  return { ...service, url };
}

/** A queue worker on the given Redis, sharing the API's data folder. */
export function startWorker(dataDir: string, redisUrl: string, queue: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
  return spawnService(
    WORKER_MAIN,
    {
      PANEL_LAB_REDIS_URL: redisUrl,
      PANEL_LAB_QUEUE: queue,
      PANEL_LAB_DATA_DIR: dataDir,
      PANEL_LAB_WORKER_CONCURRENCY: '1',
      PANEL_LAB_LOCK_MS: '5000',
      PANEL_LAB_STALLED_CHECK_MS: '2000',
      PANEL_LAB_LOG: 'info',
      ...env,
    },
    (l) => l.message === 'worker ready',
    'worker',
  );
}

type Json = Record<string, any>;

/** The tenant's HTTP calls. */
export function client(base: () => string, key: string) {
  const headers = { 'X-API-Key': key, 'Content-Type': 'application/json' };
  return {
    async post(path: string, body: unknown): Promise<{ status: number; body: Json }> {
      const res = await fetch(`${base()}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Json };
    },
    async get(path: string): Promise<{ status: number; body: Json }> {
      const res = await fetch(`${base()}${path}`, { headers });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
    },
  };
}

export const TERMINAL = ['succeeded', 'failed', 'cancelled'];

/** Milliseconds at quantile q (0..1) of the samples (nearest rank). */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
