import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

/**
 * A throw-away PostgreSQL server for tests: initdb into a temporary directory, `postgres` on a free
 * loopback port (no fsync: nothing here must survive), stopped and removed by stop(). Debian's
 * `postgresql` package (.ci/install-system.sh) keeps its programs in /usr/lib/postgresql/<v>/bin.
 * PostgreSQL refuses to run as root: under root the cluster belongs to the `postgres` user.
 */
export function postgresBin(): string | null {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, 'postgres'))) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(base, versions[0]!, 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? join(which.stdout.trim(), '..') : null;
}

export const hasPostgres = (): boolean => postgresBin() !== null;
/** CI (or REQUIRE_POSTGRES=1) must run the PostgreSQL tests: a missing server fails there instead of skipping. */
export const postgresRequired = (): boolean => Boolean(process.env.CI) || process.env.REQUIRE_POSTGRES === '1';


export interface PostgresHandle {
  /** URL of the `postgres` database (superuser `panel`, trust auth on loopback). */
  readonly url: string;
  /** Creates a fresh database and returns its URL. */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
}

function userIds(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) throw new Error('running as root, PostgreSQL needs the `postgres` system user (the Debian package creates it)');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export async function startPostgres(): Promise<PostgresHandle> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const ids = userIds();
  // under root the cluster's directory must be reachable by the postgres user: /tmp, whatever TMPDIR says
  const root = await mkdtemp(join(ids ? '/tmp' : tmpdir(), 'panel-lab-pg-'));
  if (ids) await chown(root, ids.uid, ids.gid);
  // run from the cluster's own directory: the postgres user may not reach the checkout's (e.g. under /root)
  const as = { cwd: root, ...(ids ? { uid: ids.uid, gid: ids.gid } : {}) };
  const data = join(root, 'data');
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', 'panel', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], { encoding: 'utf8', ...as });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const child: ChildProcess = spawn(
    join(bin, 'postgres'),
    ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', root, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
    { stdio: ['ignore', 'ignore', 'pipe'], ...as },
  );
  let log = '';
  child.stderr!.on('data', (c: Buffer) => (log = (log + c.toString('utf8')).slice(-4000)));
  const url = `postgres://panel@127.0.0.1:${port}/postgres`;
  let up = false;
  let lastError = '';
  for (let i = 0; i < 100 && !up && child.exitCode === null; i++) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('select 1');
      up = true;
    } catch (error) {
      // the server is still starting: retry; the last failure goes into the error below
      lastError = error instanceof Error ? error.message : String(error);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGINT'); // fast shutdown
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    await rm(root, { recursive: true, force: true });
  };
  if (!up) {
    await stop();
    throw new Error(`postgres did not answer on ${url} (last attempt: ${lastError || 'none'}): ${log}`);
  }
  return {
    url,
    async database(name: string) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`create database "${name.replace(/[^a-z0-9_]/g, '_')}"`);
      } finally {
        await client.end();
      }
      return `postgres://panel@127.0.0.1:${port}/${name.replace(/[^a-z0-9_]/g, '_')}`;
    },
    stop,
  };
}
