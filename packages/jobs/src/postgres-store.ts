import pg from 'pg';
import { hashApiKey, KeyCache, TERMINAL_SQL, type JobUpdate, type MetaStore } from './store.js';
import type { DatasetRecord, JobRecord, JobState } from './types.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database */
  readonly url: string;
  /** Connections in the pool (default 10): a replica never holds more, whatever its load. */
  readonly poolSize?: number;
  /** A statement running longer than this is cancelled by the server (ms, default 15000). */
  readonly statementTimeoutMs?: number;
  /** Called for errors of idle pooled connections (a restarted server); they are replaced on the next query. */
  readonly onError?: (error: Error) => void;
}

const SCHEMA = [
  `create table if not exists api_keys (hash text primary key, tenant text not null, label text not null, created_at timestamptz not null default now())`,
  `create table if not exists datasets (id text primary key, tenant text not null, created_at text not null, record jsonb not null)`,
  `create index if not exists datasets_by_tenant on datasets (tenant, created_at, id)`,
  `create table if not exists jobs (id text primary key, tenant text not null, parent_id text, state text not null, created_at text not null, updated_at timestamptz not null default now(), record jsonb not null)`,
  `create index if not exists jobs_top_by_tenant on jobs (tenant, created_at, id) where parent_id is null`,
  `create index if not exists jobs_by_parent on jobs (parent_id, id) where parent_id is not null`,
  `create index if not exists jobs_active on jobs (state, created_at) where parent_id is null and state in ('queued', 'running')`,
];

/** Serializes schema creation over every process that opens the store at once (create ... if not exists races otherwise). */
const SCHEMA_LOCK = 0x70616e656c;

const UPSERT_JOB = `insert into jobs (id, tenant, parent_id, state, created_at, updated_at, record) values ($1, $2, $3, $4, $5, now(), $6)
  on conflict (id) do update set tenant = excluded.tenant, parent_id = excluded.parent_id, state = excluded.state, updated_at = now(), record = excluded.record`;

/**
 * The job store for many writers: PostgreSQL through a bounded `pg` pool. Every write is one
 * statement (the top-level terminal guard is part of the upsert's where clause), updateJob is a
 * transaction holding the row lock (select ... for update), so API replicas and workers can
 * write the same job at once without losing updates or reviving a finished job.
 */
export class PostgresMetaStore implements MetaStore {
  readonly kind = 'postgres';
  private closed = false;
  private readonly keyCache = new KeyCache();

  private constructor(private readonly pool: pg.Pool) {}

  static async open(o: PostgresStoreOptions): Promise<PostgresMetaStore> {
    const pool = new pg.Pool({
      connectionString: o.url,
      max: o.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
      statement_timeout: o.statementTimeoutMs ?? 15_000,
    });
    // without a listener an idle connection's error (server restart) would crash the process
    pool.on('error', (error) => o.onError?.(error));
    const store = new PostgresMetaStore(pool);
    try {
      await store.transaction(async (c) => {
        await c.query('select pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
        for (const sql of SCHEMA) await c.query(sql);
      });
    } catch (error) {
      await pool.end();
      throw new Error(`cannot open the job store at ${redactUrl(o.url)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return store;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async query(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
    if (this.closed) throw new Error('metadata store is closed');
    return this.pool.query(sql, params);
  }

  private async transaction<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('metadata store is closed');
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('begin');
      const out = await work(client);
      await client.query('commit');
      return out;
    } catch (error) {
      // a failed rollback means a broken connection: it is destroyed on release, not reused
      await client.query('rollback').catch((e: unknown) => (broken = e instanceof Error ? e : new Error(String(e))));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  // --- API keys -----------------------------------------------------------------------------

  async putApiKey(key: string, tenant: string, label = ''): Promise<void> {
    this.keyCache.forget(key);
    await this.query(`insert into api_keys (hash, tenant, label) values ($1, $2, $3) on conflict (hash) do update set tenant = excluded.tenant, label = excluded.label`, [hashApiKey(key), tenant, label]);
  }

  cachedTenantOfKey(key: string): string | undefined {
    return this.keyCache.get(key);
  }

  async tenantOfKey(key: string): Promise<string | null> {
    const cached = this.keyCache.get(key);
    if (cached !== undefined) return cached;
    const { rows } = await this.query(`select tenant from api_keys where hash = $1`, [hashApiKey(key)]);
    const tenant = rows.length ? String(rows[0].tenant) : null;
    if (tenant) this.keyCache.set(key, tenant);
    return tenant;
  }

  // --- datasets -----------------------------------------------------------------------------

  async putDataset(d: DatasetRecord): Promise<void> {
    await this.query(`insert into datasets (id, tenant, created_at, record) values ($1, $2, $3, $4) on conflict (id) do update set tenant = excluded.tenant, record = excluded.record`, [d.id, d.tenant, d.createdAt, JSON.stringify(d)]);
  }

  async getDataset(tenant: string, id: string): Promise<DatasetRecord | null> {
    const { rows } = await this.query(`select record from datasets where id = $1 and tenant = $2`, [id, tenant]);
    return rows.length ? (rows[0].record as DatasetRecord) : null;
  }

  async listDatasets(tenant: string): Promise<DatasetRecord[]> {
    const { rows } = await this.query(`select record from datasets where tenant = $1 order by created_at, id`, [tenant]);
    return rows.map((r) => r.record as DatasetRecord);
  }

  async countDatasets(tenant: string): Promise<number> {
    const { rows } = await this.query(`select count(*)::int as n from datasets where tenant = $1`, [tenant]);
    return Number(rows[0]?.n ?? 0);
  }

  async deleteDataset(tenant: string, id: string): Promise<void> {
    await this.query(`delete from datasets where id = $1 and tenant = $2`, [id, tenant]);
  }

  // --- jobs ---------------------------------------------------------------------------------

  async putJob(j: JobRecord): Promise<boolean> {
    const { rowCount } = await this.query(`${UPSERT_JOB} where jobs.parent_id is not null or jobs.state not in ${TERMINAL_SQL}`, jobParams(j));
    return (rowCount ?? 0) > 0;
  }

  async getJob(tenant: string, id: string): Promise<JobRecord | null> {
    const { rows } = await this.query(`select record from jobs where id = $1 and tenant = $2`, [id, tenant]);
    return rows.length ? (rows[0].record as JobRecord) : null;
  }

  async updateJob(tenant: string, id: string, mutate: (current: JobRecord) => JobRecord | null): Promise<JobUpdate | null> {
    return this.transaction(async (c) => {
      const { rows } = await c.query(`select record from jobs where id = $1 and tenant = $2 for update`, [id, tenant]);
      if (!rows.length) return null;
      const current = rows[0].record as JobRecord;
      const next = mutate(current);
      if (!next) return { job: current, changed: false };
      await c.query(UPSERT_JOB, jobParams(next));
      return { job: next, changed: true };
    });
  }

  async listJobs(tenant: string): Promise<JobRecord[]> {
    const { rows } = await this.query(`select record from jobs where tenant = $1 and parent_id is null order by created_at, id`, [tenant]);
    return rows.map((r) => r.record as JobRecord);
  }

  async childJobs(parentId: string): Promise<JobRecord[]> {
    const { rows } = await this.query(`select record from jobs where parent_id = $1 order by id`, [parentId]);
    return rows.map((r) => r.record as JobRecord);
  }

  async jobsInStates(states: readonly JobState[]): Promise<JobRecord[]> {
    const { rows } = await this.query(`select record from jobs where parent_id is null and state = any($1::text[]) order by created_at, id`, [[...states]]);
    return rows.map((r) => r.record as JobRecord);
  }

  async activeJobsOf(tenant: string): Promise<JobRecord[]> {
    const { rows } = await this.query(`select record from jobs where tenant = $1 and parent_id is null and state in ('queued', 'running')`, [tenant]);
    return rows.map((r) => r.record as JobRecord);
  }

  async deleteJob(tenant: string, id: string): Promise<void> {
    await this.query(`delete from jobs where (id = $1 or parent_id = $1) and tenant = $2`, [id, tenant]);
  }
}

function jobParams(j: JobRecord): unknown[] {
  return [j.id, j.tenant, j.parentId, j.state, j.createdAt, JSON.stringify(j)];
}

/** The URL without its password (errors and logs). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable URL)';
  }
}
