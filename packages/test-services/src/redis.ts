import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port.js';
import { Redis } from 'ioredis';

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface RedisHandle {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts a throw-away redis-server on a free loopback port (no persistence) and waits until it
 * answers; `port` starts it on that one instead (a restart after `stop()`, for outage tests).
 */
export async function startRedis(options: { port?: number } = {}): Promise<RedisHandle> {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  let up = false;
  let lastError = '';
  for (let i = 0; i < 50 && !up; i++) {
    try {
      if (client.status !== 'ready') await client.connect();
      up = (await client.ping()) === 'PONG';
    } catch (error) {
      // the server is still starting: retry; the last failure goes into the error below
      lastError = error instanceof Error ? error.message : String(error);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.disconnect();
  if (!up) {
    child.kill('SIGKILL');
    throw new Error(`redis-server did not answer on ${url} (last attempt: ${lastError || 'none'})`);
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
