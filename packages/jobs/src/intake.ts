import { parseRunSpec } from '@panel-lab/analysis';
import { rm } from 'node:fs/promises';
import { newId, type DataDir } from './data-dir.js';
import { ConflictError, InputError, LimitError } from './errors.js';
import { assertNoIssues, jobBoundIssues, jobDraws } from './input-bounds.js';
import { PlaceboJobSpec } from './placebo-spec.js';
import { redactPaths } from './redact.js';
import type { MetaStore } from './store.js';
import type { DatasetRef } from './tasks.js';
import { TERMINAL_STATES, type JobError, type JobKind, type JobProgress, type JobRecord, type TenantLimits } from './types.js';

/**
 * What every job engine does at submit, and the small rules both share (the embedded JobService
 * and the distributed FlowJobs): input bounds and spec validation (422 naming the field), the
 * tenant's quotas (429), dataset ownership, the initial record, and how errors reach tenants.
 */

/** 422 naming each field over the tenant's input bounds (draws, chunks, cities, years, rows). */
export function checkBounds(limits: TenantLimits, kind: 'analysis' | 'placebo', input: unknown): void {
  assertNoIssues(jobBoundIssues(kind, input, limits), `the ${kind} job`);
}

export async function datasetRef(store: MetaStore, tenant: string, id: string, path: string): Promise<DatasetRef> {
  const d = await store.getDataset(tenant, id);
  if (!d) throw new InputError(`${path} '${id}': no such dataset`, [{ path, message: `no dataset '${id}'` }]);
  return { id: d.id, file: d.file, format: d.format, unit: d.unit, time: d.time, categorical: d.categorical };
}

/** A validated analysis spec ('file' datasets refused, registered ones checked to be the tenant's). */
export async function validateAnalysis(store: MetaStore, limits: TenantLimits, tenant: string, input: unknown): Promise<ReturnType<typeof parseRunSpec>> {
  checkBounds(limits, 'analysis', input);
  const spec = parseRunSpec(input);
  checkBounds(limits, 'analysis', spec);
  if (spec.dataset.source === 'file') {
    throw new InputError("dataset.source 'file' is not available through the API; upload the file and use { source: 'dataset', id }", [
      { path: 'dataset.source', message: "'file' is not allowed here; use 'dataset', 'synthetic' or 'example'" },
    ]);
  }
  if (spec.dataset.source === 'dataset') await datasetRef(store, tenant, spec.dataset.id, 'dataset.id');
  return spec;
}

export async function validatePlacebo(store: MetaStore, limits: TenantLimits, tenant: string, input: unknown): Promise<PlaceboJobSpec> {
  checkBounds(limits, 'placebo', input);
  const parsed = PlaceboJobSpec.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    throw new InputError(`invalid placebo job:\n${issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n')}`, issues);
  }
  if (parsed.data.dataset.source === 'dataset') await datasetRef(store, tenant, parsed.data.dataset.id, 'dataset.id');
  return parsed.data;
}

/** 429 when the tenant is at a quota: jobs queued or running, jobs queued, draws in flight. */
export async function checkQuotas(store: MetaStore, limits: TenantLimits, tenant: string, kind: JobKind, input: unknown): Promise<void> {
  const active = await store.activeJobsOf(tenant);
  if (active.length >= limits.activeJobs) throw new LimitError(`tenant '${tenant}' has ${active.length} jobs queued or running (limit ${limits.activeJobs}); wait or cancel one`);
  const queued = active.filter((j) => j.state === 'queued').length;
  if (queued >= limits.queuedJobs) throw new LimitError(`tenant '${tenant}' has ${queued} jobs queued (limit ${limits.queuedJobs}); wait or cancel one`);
  const inFlight = active.reduce((sum, j) => sum + jobDraws(j.kind, j.input), 0);
  const draws = jobDraws(kind, input);
  if (inFlight + draws > limits.drawsInFlight) {
    throw new LimitError(`tenant '${tenant}' has ${inFlight} draws queued or running; ${draws} more would pass the limit of ${limits.drawsInFlight}; wait or cancel a job`);
  }
}

export function newJobRecord(tenant: string, kind: JobKind, input: unknown): JobRecord {
  return {
    id: newId('job'),
    tenant,
    kind,
    state: 'queued',
    parentId: null,
    createdAt: new Date().toISOString(),
    startedAt: null,
    finishedAt: null,
    progress: { fraction: 0, step: 'queued' },
    error: null,
    attempts: 0,
    input,
    notes: [],
  };
}

export function clampProgress(p: JobProgress): JobProgress {
  const fraction = Number.isFinite(p.fraction) ? Math.max(0, Math.min(1, p.fraction)) : 0;
  return { ...p, fraction };
}

/** Errors that running the task again cannot fix (bad options, a missing column or dataset). */
export function isInputFault(error: unknown): boolean {
  return error instanceof Error && /^option |column |dataset/.test(error.message);
}

/** A job's error as tenants see it: server paths (a task's file errors) reduced to file names. */
export function toJobError(error: unknown, dataDir: string): JobError {
  if (error instanceof Error) {
    const issues = (error as { issues?: unknown }).issues;
    return {
      message: redactPaths(error.message, [dataDir]),
      ...(Array.isArray(issues) ? { issues: (issues as { path: string; message: string }[]).map((i) => ({ path: i.path, message: redactPaths(String(i.message), [dataDir]) })) } : {}),
    };
  }
  return { message: redactPaths(String(error), [dataDir]) };
}

/** Directory holding a succeeded job's result.json and report/ (ConflictError for any other state). */
export function resultDirOf(dir: DataDir, job: JobRecord): { job: JobRecord; dir: string } {
  if (job.state !== 'succeeded') throw new ConflictError(`job '${job.id}' is ${job.state}; results exist only for succeeded jobs`);
  return { job, dir: dir.jobDir(job.tenant, job.id) };
}

/** Deletes a finished job's record and files (ConflictError while it is queued or running). */
export async function deleteFinishedJob(store: MetaStore, dir: DataDir, job: JobRecord): Promise<void> {
  if (!TERMINAL_STATES.includes(job.state)) throw new ConflictError(`job '${job.id}' is ${job.state}; cancel it first`);
  await store.deleteJob(job.tenant, job.id);
  await rm(dir.jobDir(job.tenant, job.id), { recursive: true, force: true });
}
