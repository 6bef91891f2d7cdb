import { SpecError } from '@panel-lab/analysis';
import { ConflictError, InputError, LimitError, NotFoundError, QueueUnavailableError, TooLargeError } from '@panel-lab/jobs';
import { PanelError } from '@panel-lab/panel';
import { describe, expect, it } from 'vitest';
import { configFromEnv, parseApiKeys, toHttp } from '../src/index.js';

describe('error mapping', () => {
  it('gives each error class its status and keeps field paths', () => {
    expect(toHttp(new SpecError([{ path: 'analyses[0].estimator', message: 'bad' }]))).toMatchObject({ status: 422, body: { issues: [{ path: 'analyses[0].estimator' }] } });
    expect(toHttp(new InputError('x', [{ path: 'name', message: 'bad' }])).status).toBe(422);
    expect(toHttp(new PanelError("column 'y' is missing")).status).toBe(422);
    expect(toHttp(new NotFoundError('x')).status).toBe(404);
    expect(toHttp(new LimitError('x')).status).toBe(429);
    expect(toHttp(new ConflictError('x')).status).toBe(409);
    expect(toHttp(new TooLargeError('x')).status).toBe(413);
    expect(toHttp(new QueueUnavailableError('x')).status).toBe(503);
  });

  it('does not leak the message of an unexpected error', () => {
    const out = toHttp(new Error('secret path /srv/data/meta.duckdb'));
    expect(out.status).toBe(500);
    expect(JSON.stringify(out.body)).not.toMatch(/secret|meta\.duckdb/);
  });
});

describe('configuration from the environment', () => {
  it('parses keys per tenant and rejects short keys and bad tenant names', () => {
    expect(parseApiKeys('acme:0123456789abcdef, beta:fedcba9876543210')).toEqual([
      { tenant: 'acme', key: '0123456789abcdef' },
      { tenant: 'beta', key: 'fedcba9876543210' },
    ]);
    expect(() => parseApiKeys('acme:short')).toThrow(/entry 1 \(tenant 'acme'\): the key must have at least 16 characters/);
    expect(() => parseApiKeys('../x:0123456789abcdef')).toThrow(/entry 1: expected tenant:key/);
  });

  it('reads limits and defaults to loopback', () => {
    const c = configFromEnv({ PANEL_LAB_UPLOAD_LIMIT_BYTES: '1000', PANEL_LAB_MAX_ACTIVE_JOBS: '3', PANEL_LAB_TENANT_LIMITS: '{"acme":{"activeJobs":9}}' });
    expect(c.host).toBe('127.0.0.1');
    expect(c.limits).toMatchObject({ uploadBytes: 1000, activeJobs: 3 });
    expect(c.tenantLimits).toEqual({ acme: { activeJobs: 9 } });
    expect(c.redisUrl).toBeNull();
    expect(() => configFromEnv({ PORT: 'eighty' })).toThrow(/PORT must be a non-negative integer/);
  });

  it('reads the quotas, input bounds, queue watch, retention and shutdown settings', () => {
    const c = configFromEnv({
      PANEL_LAB_MAX_DRAWS: '5000', PANEL_LAB_MAX_CHUNKS: '10', PANEL_LAB_MAX_CITIES: '300', PANEL_LAB_MAX_YEARS: '12', PANEL_LAB_MAX_ROWS: '4000',
      PANEL_LAB_MAX_RUNNING_PER_TENANT: '1', PANEL_LAB_MAX_QUEUED_JOBS: '7', PANEL_LAB_MAX_DRAWS_IN_FLIGHT: '9000', PANEL_LAB_MAX_DATASET_BYTES: '5000000', PANEL_LAB_CHUNK_CONCURRENCY: '3',
      PANEL_LAB_TASK_LOST_MS: '4000', PANEL_LAB_KEEP_COMPLETED: '50', PANEL_LAB_EVENTS_MAX_LEN: '500', PANEL_LAB_SHUTDOWN_GRACE_MS: '2500', PANEL_LAB_AUTH_FAILURES: '5', PANEL_LAB_STARTUP_QUEUE_WAIT_MS: '0',
    });
    expect(c.limits).toMatchObject({ maxDraws: 5000, maxChunks: 10, maxCities: 300, maxYears: 12, maxRows: 4000, runningJobs: 1, queuedJobs: 7, drawsInFlight: 9000, datasetBytes: 5_000_000 });
    expect(c.chunkConcurrency).toBe(3);
    expect(c.startupQueueWaitMs).toBe(0);
    expect(c.queue).toMatchObject({ lostAfterMs: 4000, retention: { completedCount: 50, eventsMaxLen: 500, failedAgeS: 86_400 } });
    expect([c.shutdownGraceMs, c.sseRetryMs, c.authFailures]).toEqual([2500, 3000, 5]);
    expect(() => configFromEnv({ PANEL_LAB_MAX_RUNNING_PER_TENANT: '0' })).toThrow(/PANEL_LAB_MAX_RUNNING_PER_TENANT must be at least 1/);
  });
});
