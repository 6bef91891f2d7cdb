import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { hashApiKey, KeyCache, type JobUpdate, type MetaStore } from './store.js';
import { TERMINAL_STATES, type DatasetRecord, type JobRecord, type JobState } from './types.js';

const SCHEMA = [
  `create table if not exists api_keys (hash varchar primary key, tenant varchar not null, label varchar not null, created_at varchar not null)`,
  `create table if not exists datasets (id varchar primary key, tenant varchar not null, created_at varchar not null, record json not null)`,
  `create table if not exists jobs (id varchar primary key, tenant varchar not null, parent_id varchar, state varchar not null, created_at varchar not null, record json not null)`,
];

type Row = Record<string, unknown>;

/**
 * The embedded store (one process, the default): an embedded DuckDB file. Every statement goes
 * through one queue (DuckDB connections are not meant for interleaved use), which also makes
 * updateJob's read-modify-write atomic. For many writers (API replicas, workers) use PostgresMetaStore.
 */
export class DuckDbMetaStore implements MetaStore {
  readonly kind = 'duckdb';
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly keyCache = new KeyCache();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  /** Opens (or creates) the store; path ':memory:' for a throw-away one. */
  static async open(path: string): Promise<DuckDbMetaStore> {
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    const store = new DuckDbMetaStore(instance, conn);
    for (const sql of SCHEMA) await store.exec(sql);
    return store;
  }

  /** Waits for queued statements, then closes the database (later calls fail with 'metadata store is closed'). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chain;
    this.conn.closeSync();
    this.instance.closeSync();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    // refused at call time; statements queued before close() still run
    if (this.closed) return Promise.reject(new Error('metadata store is closed'));
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private exec(sql: string, params?: Record<string, string | null>): Promise<void> {
    return this.serial(async () => {
      await this.conn.run(sql, params);
    });
  }

  private query(sql: string, params?: Record<string, string | null>): Promise<Row[]> {
    return this.serial(async () => {
      const reader = await this.conn.runAndReadAll(sql, params);
      return reader.getRowObjectsJson() as Row[];
    });
  }

  // --- API keys -----------------------------------------------------------------------------

  async putApiKey(key: string, tenant: string, label = ''): Promise<void> {
    this.keyCache.forget(key);
    await this.exec(`insert or replace into api_keys values ($hash, $tenant, $label, $at)`, {
      hash: hashApiKey(key),
      tenant,
      label,
      at: new Date().toISOString(),
    });
  }

  /** The tenant of a key seen before, from memory only (no database round trip); undefined when not cached. */
  cachedTenantOfKey(key: string): string | undefined {
    return this.keyCache.get(key);
  }

  /** The tenant a key belongs to, or null for an unknown key. */
  async tenantOfKey(key: string): Promise<string | null> {
    const cached = this.keyCache.get(key);
    if (cached !== undefined) return cached;
    const rows = await this.query(`select tenant from api_keys where hash = $hash`, { hash: hashApiKey(key) });
    const tenant = rows.length ? String(rows[0]!.tenant) : null;
    if (tenant) this.keyCache.set(key, tenant);
    return tenant;
  }

  // --- datasets -----------------------------------------------------------------------------

  async putDataset(d: DatasetRecord): Promise<void> {
    await this.exec(`insert or replace into datasets values ($id, $tenant, $at, $record)`, {
      id: d.id,
      tenant: d.tenant,
      at: d.createdAt,
      record: JSON.stringify(d),
    });
  }

  /** The dataset if it belongs to the tenant (another tenant's dataset is indistinguishable from none). */
  async getDataset(tenant: string, id: string): Promise<DatasetRecord | null> {
    const rows = await this.query(`select record from datasets where id = $id and tenant = $tenant`, { id, tenant });
    return rows.length ? (JSON.parse(String(rows[0]!.record)) as DatasetRecord) : null;
  }

  async listDatasets(tenant: string): Promise<DatasetRecord[]> {
    const rows = await this.query(`select record from datasets where tenant = $tenant order by created_at, id`, { tenant });
    return rows.map((r) => JSON.parse(String(r.record)) as DatasetRecord);
  }

  async countDatasets(tenant: string): Promise<number> {
    const rows = await this.query(`select count(*)::varchar as n from datasets where tenant = $tenant`, { tenant });
    return Number(rows[0]?.n ?? 0);
  }

  async deleteDataset(tenant: string, id: string): Promise<void> {
    await this.exec(`delete from datasets where id = $id and tenant = $tenant`, { id, tenant });
  }

  // --- jobs ---------------------------------------------------------------------------------

  async putJob(j: JobRecord): Promise<boolean> {
    return this.serial(async () => {
      const rows = (await this.conn.runAndReadAll(`select state, parent_id from jobs where id = $id`, { id: j.id })).getRowObjectsJson() as Row[];
      const old = rows[0];
      if (old && old.parent_id === null && TERMINAL_STATES.includes(String(old.state) as JobState)) return false;
      await this.write(j);
      return true;
    });
  }

  private async write(j: JobRecord): Promise<void> {
    await this.conn.run(`insert or replace into jobs values ($id, $tenant, $parent, $state, $at, $record)`, {
      id: j.id,
      tenant: j.tenant,
      parent: j.parentId,
      state: j.state,
      at: j.createdAt,
      record: JSON.stringify(j),
    });
  }

  async updateJob(tenant: string, id: string, mutate: (current: JobRecord) => JobRecord | null): Promise<JobUpdate | null> {
    return this.serial(async () => {
      const rows = (await this.conn.runAndReadAll(`select record from jobs where id = $id and tenant = $tenant`, { id, tenant })).getRowObjectsJson() as Row[];
      if (!rows.length) return null;
      const current = JSON.parse(String(rows[0]!.record)) as JobRecord;
      const next = mutate(current);
      if (!next) return { job: current, changed: false };
      await this.write(next);
      return { job: next, changed: true };
    });
  }

  async getJob(tenant: string, id: string): Promise<JobRecord | null> {
    const rows = await this.query(`select record from jobs where id = $id and tenant = $tenant`, { id, tenant });
    return rows.length ? (JSON.parse(String(rows[0]!.record)) as JobRecord) : null;
  }

  /** A tenant's top-level jobs (chunk children are listed under their parent), oldest first. */
  async listJobs(tenant: string): Promise<JobRecord[]> {
    const rows = await this.query(`select record from jobs where tenant = $tenant and parent_id is null order by created_at, id`, { tenant });
    return rows.map((r) => JSON.parse(String(r.record)) as JobRecord);
  }

  async childJobs(parentId: string): Promise<JobRecord[]> {
    const rows = await this.query(`select record from jobs where parent_id = $parent order by id`, { parent: parentId });
    return rows.map((r) => JSON.parse(String(r.record)) as JobRecord);
  }

  /** Top-level jobs of any tenant in the given states (restart recovery). */
  async jobsInStates(states: readonly JobState[]): Promise<JobRecord[]> {
    const list = states.map((s) => `'${s.replace(/[^a-z-]/g, '')}'`).join(', ');
    const rows = await this.query(`select record from jobs where parent_id is null and state in (${list}) order by created_at, id`);
    return rows.map((r) => JSON.parse(String(r.record)) as JobRecord);
  }

  /** A tenant's top-level jobs queued or running (quotas at submit count them and their draws). */
  async activeJobsOf(tenant: string): Promise<JobRecord[]> {
    const rows = await this.query(`select record from jobs where tenant = $tenant and parent_id is null and state in ('queued', 'running')`, { tenant });
    return rows.map((r) => JSON.parse(String(r.record)) as JobRecord);
  }

  async deleteJob(tenant: string, id: string): Promise<void> {
    await this.exec(`delete from jobs where (id = $id or parent_id = $id) and tenant = $tenant`, { id, tenant });
  }
}
