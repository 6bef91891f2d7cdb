import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * Layout of the data directory. Every file name is built from ids this process generated (never
 * from a client's string), so no client input can reach outside it.
 *   meta.duckdb                          metadata (keys, datasets, jobs)
 *   tmp/                                 uploads in flight (removed on failure and at start)
 *   tenants/<tenant>/datasets/<id>.<ext> dataset files
 *   tenants/<tenant>/jobs/<id>/          result.json, report/, chunks/<k>.json
 */
export class DataDir {
  constructor(readonly root: string) {}

  get metaFile(): string {
    return join(this.root, 'meta.duckdb');
  }

  get tmp(): string {
    return join(this.root, 'tmp');
  }

  /** Dataset file relative to the root (what records and tasks carry). */
  datasetFile(tenant: string, id: string, ext: string): string {
    return `tenants/${safeSegment(tenant, 'tenant')}/datasets/${safeSegment(id, 'dataset id')}.${ext}`;
  }

  jobDir(tenant: string, id: string): string {
    return join(this.root, 'tenants', safeSegment(tenant, 'tenant'), 'jobs', safeSegment(id, 'job id'));
  }
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** A path segment made only of letters, digits, '-' and '_' (throws otherwise). */
export function safeSegment(value: string, what: string): string {
  if (!SEGMENT.test(value)) throw new Error(`${what} '${value}' must be 1-64 letters, digits, '-' or '_'`);
  return value;
}

/** A new random id with a readable prefix, e.g. job_3f9a0c1d2b4e5f60. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}
