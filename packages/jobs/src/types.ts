/** The kinds of job a tenant can submit; 'placebo-chunk' jobs are children of a 'placebo' job. */
export type JobKind = 'analysis' | 'placebo' | 'placebo-chunk';
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const TERMINAL_STATES: readonly JobState[] = Object.freeze(['succeeded', 'failed', 'cancelled']);

export interface JobProgress {
  /** Fraction of the whole job, 0..1. */
  readonly fraction: number;
  readonly step: string;
  /** Draws (or analyses) done and their total, when the job counts them. */
  readonly done?: number;
  readonly total?: number;
}

export interface JobError {
  readonly message: string;
  /** Field paths at fault (spec errors). */
  readonly issues?: readonly { path: string; message: string }[];
}

export interface JobRecord {
  readonly id: string;
  readonly tenant: string;
  readonly kind: JobKind;
  readonly state: JobState;
  readonly parentId: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly progress: JobProgress;
  readonly error: JobError | null;
  /** How many times the job was started (a restart that resumes it adds one). */
  readonly attempts: number;
  /** What was submitted (the validated spec or placebo options). */
  readonly input: unknown;
  /** Notes on the job's life: resumed after a restart, cancelled by the tenant, ... */
  readonly notes: readonly string[];
  /** Distributed engine: times its tasks were added again after vanishing from Redis, and when last. */
  readonly requeues?: number;
  readonly requeuedAt?: string;
  /**
   * Distributed engine: true while the job waits in the store for a running slot of its tenant
   * (TenantLimits.runningJobs jobs of a tenant are in the queue at once); absent once handed over.
   */
  readonly awaitingSlot?: boolean;
}

export type DatasetFormat = 'csv' | 'parquet' | 'arrow';

export interface DatasetRecord {
  readonly id: string;
  readonly tenant: string;
  readonly name: string;
  readonly format: DatasetFormat;
  readonly unit: string;
  readonly time: string;
  readonly categorical: readonly string[];
  /** Bytes of the file as uploaded (or generated). */
  readonly bytes: number;
  /**
   * Bytes of the Arrow IPC copy tasks read (a CSV or Parquet upload; see task-frames.ts); absent
   * when the file is its own copy (Arrow, synthetic) or the dataset predates copies. The tenant's
   * `datasetBytes` quota is charged `bytes + copyBytes`.
   */
  readonly copyBytes?: number;
  readonly rows: number;
  readonly createdAt: string;
  /** File under the data directory (relative, posix separators). */
  readonly file: string;
  /** 'upload' or 'synthetic' (with the generator options). */
  readonly origin: Readonly<{ kind: 'upload' } | { kind: 'synthetic'; seed: number; cities?: number; years?: number | [number, number] }>;
}

/** The per-tenant limits the API enforces (quotas and input bounds; all overridable per tenant). */
export interface TenantLimits {
  /** Largest upload, bytes; a generated (synthetic) dataset is held to the same limit. */
  readonly uploadBytes: number;
  /** Most jobs queued or running at once (429 past it). */
  readonly activeJobs: number;
  /** Most jobs waiting to start at once (429 past it). */
  readonly queuedJobs: number;
  /** Most jobs of this tenant running at once; the rest wait, so one tenant cannot hold every slot. */
  readonly runningJobs: number;
  /** Most random draws (placebo draws, bootstrap replicates) over all queued and running jobs (429 past it). */
  readonly drawsInFlight: number;
  /** Most datasets stored. */
  readonly datasets: number;
  /**
   * Most bytes of stored datasets: every file plus its Arrow copy (both stay on disk for the
   * dataset's life), over all the tenant's datasets (429 past it).
   */
  readonly datasetBytes: number;
  /** Most draws (or bootstrap replicates) one job or analysis may ask for (422 past it). */
  readonly maxDraws: number;
  /** Most chunks (draws / chunkSize) of one placebo job (422 past it). */
  readonly maxChunks: number;
  /** Most cities of a synthetic panel (422 past it). */
  readonly maxCities: number;
  /** Most years of a synthetic panel: a count, or last - first + 1 of a range (422 past it). */
  readonly maxYears: number;
  /** Most rows of a panel: cities x years of a synthetic one, or an upload's rows (422 past it). */
  readonly maxRows: number;
}

export const DEFAULT_LIMITS: TenantLimits = Object.freeze({
  uploadBytes: 64 * 1024 * 1024,
  activeJobs: 20,
  queuedJobs: 20,
  runningJobs: 2,
  drawsInFlight: 4_000_000,
  datasets: 100,
  datasetBytes: 1024 * 1024 * 1024,
  maxDraws: 1_000_000,
  maxChunks: 1_000,
  maxCities: 100_000,
  maxYears: 60,
  maxRows: 2_000_000,
});
