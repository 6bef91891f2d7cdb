import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FailedAuthLimiter } from '../src/auth-limiter.js';
import type { ApiServer } from '../src/index.js';
import { api, KEY_A, startTestServer, tempDir } from './helpers.js';

type Json = Record<string, any>;

describe('error hygiene over HTTP: no server paths, request ids everywhere, failed keys rate limited', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let server: ApiServer;
  let logged: Json[] = [];

  beforeAll(async () => {
    tmp = await tempDir('panel-lab-api-hygiene-');
    server = await startTestServer(tmp.dir, { threads: 1, log: 'info', authFailures: 3 });
  });
  afterAll(async () => {
    await server?.close();
    await tmp?.cleanup();
  });
  // the JSON log lines of each test (the logger writes to stdout)
  const captureLogs = () => {
    logged = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        try {
          logged.push(JSON.parse(line) as Json);
        } catch {
          // not a log line
        }
      }
      return true;
    });
  };
  afterEach(() => vi.restoreAllMocks());

  it('a file the reader rejects is named in the 422 without the server directory', async () => {
    const res = await api(server.url, KEY_A).upload('/v1/datasets?name=g&unit=u&time=t', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 'application/vnd.apache.parquet');
    const body = (await res.json()) as Json;
    expect(res.status).toBe(422);
    const text = JSON.stringify(body);
    expect(text).not.toContain(tmp.dir);
    expect(text).not.toMatch(/"\/|'\/|\s\/(tmp|work|home|srv|var)\//);
  });

  it('bad JSON (400) and a too large body (413) get a JSON body with the request id, and are logged', async () => {
    captureLogs();
    const bad = await fetch(`${server.url}/v1/analyses`, { method: 'POST', headers: { 'X-API-Key': KEY_A, 'Content-Type': 'application/json', 'X-Request-Id': 'req-bad-json' }, body: '{"dataset": ' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-request-id')).toBe('req-bad-json');
    expect((await bad.json()) as Json).toMatchObject({ statusCode: 400, error: 'BadRequest', requestId: 'req-bad-json', message: expect.stringMatching(/^invalid JSON body: /) });
    const big = await fetch(`${server.url}/v1/analyses`, { method: 'POST', headers: { 'X-API-Key': KEY_A, 'Content-Type': 'application/json', 'X-Request-Id': 'req-too-big' }, body: JSON.stringify({ pad: 'x'.repeat(1_200_000) }) });
    expect(big.status).toBe(413);
    expect((await big.json()) as Json).toMatchObject({ statusCode: 413, error: 'PayloadTooLarge', requestId: 'req-too-big', message: 'the JSON body is over the limit of 1mb' });
    expect(logged.find((l) => l.message === 'request body rejected' && l.requestId === 'req-bad-json')).toMatchObject({ level: 'warn', status: 400, type: 'entity.parse.failed' });
    expect(logged.find((l) => l.message === 'request body rejected' && l.requestId === 'req-too-big')).toMatchObject({ status: 413 });
  });

  it('every rejected request is logged with its request id', async () => {
    captureLogs();
    const res = await fetch(`${server.url}/v1/jobs/job_0123456789abcdef`, { headers: { 'X-API-Key': KEY_A, 'X-Request-Id': 'req-missing' } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as Json).requestId).toBe('req-missing');
    expect(logged.find((l) => l.message === 'request rejected')).toMatchObject({ level: 'warn', requestId: 'req-missing', status: 404, error: expect.stringMatching(/NotFoundError: job 'job_0123456789abcdef' not found/) });
  });

  it('rate limits failed API keys per source address (429 + Retry-After); a known key still passes', async () => {
    for (let i = 0; i < 3; i++) expect((await api(server.url, `guess-${i}-0123456789abcdef`).get('/v1/jobs')).status).toBe(401);
    const blocked = await api(server.url, 'guess-3-0123456789abcdef').get('/v1/jobs');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as Json).message).toMatch(/too many failed API key attempts from this address; retry in \d+ s/);
    // KEY_A was used above, so it is known: its requests are not held up by the guesser on the same address
    expect((await api(server.url, KEY_A).get('/v1/jobs')).status).toBe(200);
  });
});

describe('FailedAuthLimiter', () => {
  it('opens again after the window and remembers at most maxSources addresses', () => {
    let now = 0;
    const limiter = new FailedAuthLimiter(2, 1000, 3, () => now);
    limiter.fail('a');
    limiter.fail('a');
    expect(limiter.retryAfterMs('a')).toBe(1000);
    now = 999;
    expect(limiter.retryAfterMs('a')).toBe(1);
    now = 1000;
    expect(limiter.retryAfterMs('a')).toBe(0);
    for (const s of ['b', 'c', 'd', 'e']) limiter.fail(s);
    expect(limiter.size).toBe(3);
  });
});
