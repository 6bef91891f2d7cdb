import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KEY_A } from './helpers.js';

const MAIN = fileURLToPath(new URL('../bin/main.js', import.meta.url));

export interface ApiProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
}

/** Runs the real server process (bin/main.js) on 127.0.0.1:0 and reads its URL from the log. */
export function startProcess(dataDir: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', PANEL_LAB_DATA_DIR: dataDir, PANEL_LAB_API_KEYS: `alpha:${KEY_A}`, PANEL_LAB_THREADS: '2', ...env },
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
        out = '';
        resolve({ child, url: (JSON.parse(line) as { url: string }).url, stderr: () => stderr });
      }
    });
  });
}

/** Resolves with the exit code (or signal) once the process has exited. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

export async function killed(child: ChildProcess): Promise<void> {
  const done = exited(child);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await done;
}
