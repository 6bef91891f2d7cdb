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
});
