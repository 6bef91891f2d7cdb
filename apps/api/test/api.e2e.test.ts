import { replicationSpec } from '@panel-lab/analysis';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../src/index.js';
import { api, KEY_A, KEY_B, panelBytes, readSse, startTestServer, tempDir, testConfig, waitForJob } from './helpers.js';

type Json = Record<string, any>;

describe('API end to end on loopback (embedded worker threads)', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let files: { dir: string; cleanup: () => Promise<void> };
  let server: ApiServer;
  let base: string;
  let datasetId: string;
  let jobId: string;

  beforeAll(async () => {
    tmp = await tempDir('panel-lab-api-');
    files = await tempDir('panel-lab-api-files-');
    server = await startTestServer(tmp.dir);
    base = server.url;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
  afterAll(async () => {
    await server?.close();
    await tmp?.cleanup();
    await files?.cleanup();
  });

  it('serves health, readiness, the OpenAPI document and Swagger UI without a key', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(await (await fetch(`${base}/ready`)).json()).toMatchObject({ status: 'ready', executor: 'threads' });
    const doc = (await (await fetch(`${base}/docs/openapi.json`)).json()) as Json;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/datasets', '/v1/analyses', '/v1/jobs/{id}/events', '/v1/jobs/{id}/figures/{name}']));
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'apiKey', name: 'X-API-Key' });
    const ui = await fetch(`${base}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/swagger/i);
    expect((await fetch(`${base}/docs/swagger-ui-bundle.js`)).status).toBe(200);
  });

  it('refuses every data and job endpoint without a valid key (401)', async () => {
    for (const path of ['/v1/datasets', '/v1/jobs', '/v1/jobs/job_0123456789abcdef', '/v1/datasets/ds_0123456789abcdef/download']) {
      expect((await api(base, null).get(path)).status, path).toBe(401);
      expect((await api(base, 'not-a-real-key-at-all').get(path)).status, path).toBe(401);
    }
    expect((await api(base, null).post('/v1/analyses', {})).status).toBe(401);
  });

  it('uploads a CSV panel, lists, describes and downloads it', async () => {
    const csv = await panelBytes(files.dir, 'csv');
    const res = await api(base, KEY_A).upload('/v1/datasets?name=china-40&unit=city_code&time=year', csv, 'text/csv');
    const body = (await res.json()) as Json;
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ name: 'china-40', format: 'csv', rows: 40 * 9, bytes: csv.length });
    expect(body.file).toBeUndefined();
    datasetId = body.id;
    const list = (await (await api(base, KEY_A).get('/v1/datasets')).json()) as Json;
    expect(list.datasets.map((d: Json) => d.id)).toContain(datasetId);
    const described = (await (await api(base, KEY_A).get(`/v1/datasets/${datasetId}/describe`)).json()) as Json;
    expect(described.facts.units).toHaveLength(40);
    expect(described.columns.find((c: Json) => c.name === 'year')).toMatchObject({ type: 'numeric', role: 'time' });
    const dl = await api(base, KEY_A).get(`/v1/datasets/${datasetId}/download`);
    expect(dl.headers.get('content-type')).toMatch(/text\/csv/);
    expect(Buffer.from(await dl.arrayBuffer()).equals(csv)).toBe(true);
  });

  it('accepts Arrow IPC and Parquet uploads, and registers a synthetic panel', async () => {
    for (const [format, type] of [['arrow', 'application/vnd.apache.arrow.file'], ['parquet', 'application/vnd.apache.parquet']] as const) {
      const res = await api(base, KEY_B).upload(`/v1/datasets?name=p-${format}&unit=city_code&time=year`, await panelBytes(files.dir, format, 12), type);
      expect(res.status, format).toBe(201);
      expect(((await res.json()) as Json).rows).toBe(12 * 9);
    }
    const syn = await api(base, KEY_B).post('/v1/datasets/synthetic', { name: 'syn', seed: 5, cities: 10 });
    expect(syn.status).toBe(201);
    expect(((await syn.json()) as Json).origin).toEqual({ kind: 'synthetic', seed: 5, cities: 10 });
  });

  it('rejects bad uploads with the fault named, and keeps nothing of them', async () => {
    const before = ((await (await api(base, KEY_A).get('/v1/datasets')).json()) as Json).datasets.length;
    const dup = await api(base, KEY_A).upload('/v1/datasets?name=dup&unit=u&time=t', 'u,t,y\n1,2000,1\n1,2000,2\n', 'text/csv');
    expect(dup.status).toBe(422);
    expect(((await dup.json()) as Json).message).toMatch(/2000|duplicate/i);
    const wrongType = await api(base, KEY_A).upload('/v1/datasets?name=wt&unit=u&time=t', 'u,t,y\n1,abc,1\n2,def,2\n', 'text/csv');
    expect(wrongType.status).toBe(422);
    expect(((await wrongType.json()) as Json).message).toMatch(/'t'|column t|\bt\b/);
    const missingCol = await api(base, KEY_A).upload('/v1/datasets?name=mc&unit=nope&time=t', 'u,t,y\n1,2000,1\n', 'text/csv');
    expect(missingCol.status).toBe(422);
    expect(((await missingCol.json()) as Json).message).toMatch(/nope/);
    const garbage = await api(base, KEY_A).upload('/v1/datasets?name=g&unit=u&time=t', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 'application/vnd.apache.parquet');
    expect(garbage.status).toBe(422);
    const huge = await api(base, KEY_A).upload('/v1/datasets?name=huge&unit=u&time=t', new Uint8Array(3_000_000), 'text/csv');
    expect(huge.status).toBe(413);
    const traversal = await api(base, KEY_A).upload('/v1/datasets?name=..%2F..%2Fetc%2Fpasswd&unit=u&time=t', 'u,t\n1,1\n', 'text/csv');
    expect(traversal.status).toBe(422);
    expect(((await traversal.json()) as Json).issues[0].path).toBe('name');
    expect((await api(base, KEY_A).upload('/v1/datasets?name=x&unit=u&time=t', 'u,t\n1,1\n', 'application/xml')).status).toBe(415);
    expect((await api(base, KEY_A).get('/v1/datasets/..%2F..%2Fmeta.duckdb/download')).status).toBe(422);
    expect(((await (await api(base, KEY_A).get('/v1/datasets')).json()) as Json).datasets.length).toBe(before);
  });

  it('rejects invalid specs naming the field: unknown estimator, missing analyses, server file paths', async () => {
    const unknown = await api(base, KEY_A).post('/v1/analyses', { dataset: { source: 'dataset', id: datasetId }, analyses: [{ id: 'x', estimator: 'no_such_estimator' }] });
    expect(unknown.status).toBe(422);
    const u = (await unknown.json()) as Json;
    expect(u.issues.map((i: Json) => i.path)).toContain('analyses[0].estimator');
    const empty = await api(base, KEY_A).post('/v1/analyses', { dataset: { source: 'example', name: 'mpdta' }, analyses: [] });
    expect(((await empty.json()) as Json).issues.map((i: Json) => i.path)).toContain('analyses');
    const file = await api(base, KEY_A).post('/v1/analyses', { dataset: { source: 'file', path: '/etc/passwd', unit: 'a', time: 'b' }, analyses: [{ id: 's', estimator: 'describe' }] });
    expect(file.status).toBe(422);
    expect(((await file.json()) as Json).issues[0].path).toBe('dataset.source');
    const placebo = await api(base, KEY_A).post('/v1/placebo', { dataset: { source: 'example', name: 'mpdta' }, outcome: 'lemp', cohort: 'first.treat', draws: -5 });
    expect(placebo.status).toBe(422);
    expect(((await placebo.json()) as Json).issues[0].path).toBe('draws');
  });

  it('runs the quick replication spec on the uploaded panel: SSE progress, result JSON, report, tables, figures', async () => {
    const spec = { ...replicationSpec({ quick: true, seeds: ['000'] }), dataset: { source: 'dataset', id: datasetId } };
    const res = await api(base, KEY_A).post('/v1/analyses', spec);
    const job = (await res.json()) as Json;
    expect(res.status, JSON.stringify(job)).toBe(202);
    expect(job.state).toBe('queued');
    jobId = job.id;
    const events = await readSse(await api(base, KEY_A).get(`/v1/jobs/${jobId}/events`), 170_000);
    const last = events.at(-1)!;
    expect(last.state, JSON.stringify(last.error)).toBe('succeeded');
    const fractions = events.map((e) => (e.progress as Json).fraction as number);
    expect(fractions.some((f) => f > 0 && f < 1)).toBe(true);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!)).toBe(true);
    expect(events.map((e) => (e.progress as Json).step)).toContain('t3-twfe: twfe: done');
    const result = (await (await api(base, KEY_A).get(`/v1/jobs/${jobId}/result`)).json()) as Json;
    expect(result.analyses.map((a: Json) => a.id)).toEqual(spec.analyses.map((a) => a.id));
    const html = await api(base, KEY_A).get(`/v1/jobs/${jobId}/report`);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toMatch(/Table 3/);
    const tables = ((await (await api(base, KEY_A).get(`/v1/jobs/${jobId}/tables`)).json()) as Json).tables as Json[];
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) {
      const csv = await (await api(base, KEY_A).get(t.csv)).text();
      const arrowRes = await api(base, KEY_A).get(t.arrow);
      expect(arrowRes.headers.get('content-type'), t.id).toMatch(/arrow/);
      const arrow = tableFromIPC(new Uint8Array(await arrowRes.arrayBuffer()));
      expect(arrow.numRows, t.id).toBe(csv.trim().split('\n').length - 1);
    }
    const figures = ((await (await api(base, KEY_A).get(`/v1/jobs/${jobId}/figures`)).json()) as Json).figures as Json[];
    expect(figures.length).toBeGreaterThan(0);
    const svg = await api(base, KEY_A).get(figures[0]!.svg);
    expect(svg.headers.get('content-type')).toMatch(/image\/svg\+xml/);
    expect(await svg.text()).toMatch(/<svg/);
    expect((await api(base, KEY_A).get(`/v1/jobs/${jobId}/figures/..%2F..%2Fresult.svg`)).status).toBe(422);
    expect((await api(base, KEY_A).get(`/v1/jobs/${jobId}/figures/nope.svg`)).status).toBe(404);
  }, 180_000);

  it("never shows one tenant another tenant's datasets, jobs or results", async () => {
    const b = api(base, KEY_B);
    expect(((await (await b.get('/v1/datasets')).json()) as Json).datasets.map((d: Json) => d.id)).not.toContain(datasetId);
    expect(((await (await b.get('/v1/jobs')).json()) as Json).jobs.map((j: Json) => j.id)).not.toContain(jobId);
    for (const path of [`/v1/datasets/${datasetId}`, `/v1/datasets/${datasetId}/describe`, `/v1/datasets/${datasetId}/download`, `/v1/jobs/${jobId}`, `/v1/jobs/${jobId}/result`, `/v1/jobs/${jobId}/report`, `/v1/jobs/${jobId}/tables`, `/v1/jobs/${jobId}/events`]) {
      expect((await b.get(path)).status, path).toBe(404);
    }
    expect((await b.del(`/v1/datasets/${datasetId}`)).status).toBe(404);
    expect((await b.post(`/v1/jobs/${jobId}/cancel`, {})).status).toBe(404);
    const steal = await b.post('/v1/analyses', { dataset: { source: 'dataset', id: datasetId }, analyses: [{ id: 's', estimator: 'describe' }] });
    expect(steal.status).toBe(422);
    expect((await api(base, KEY_A).get(`/v1/datasets/${datasetId}`)).status).toBe(200);
  });

  it('runs a chunked placebo job and cancels another one', async () => {
    const a = api(base, KEY_A);
    const ok = (await (await a.post('/v1/placebo', { dataset: { source: 'example', name: 'mpdta' }, outcome: 'lemp', cohort: 'first.treat', draws: 40, chunkSize: 10, seed: 3 })).json()) as Json;
    const done = await waitForJob(base, KEY_A, ok.id);
    expect(done.state).toBe('succeeded');
    expect(done.chunks).toEqual({ total: 4, succeeded: 4, running: 0, failed: 0 });
    expect(done.progress).toMatchObject({ done: 40, total: 40 });
    const result = (await (await a.get(`/v1/jobs/${ok.id}/result`)).json()) as Json;
    expect(result.draws.beta).toHaveLength(40);
    expect((await a.get(`/v1/jobs/${ok.id}/report`)).status).toBe(404);
    const big = (await (await a.post('/v1/placebo', { dataset: { source: 'example', name: 'mpdta' }, outcome: 'lemp', cohort: 'first.treat', draws: 200_000, chunkSize: 20_000, seed: 3 })).json()) as Json;
    const cancel = await a.post(`/v1/jobs/${big.id}/cancel`, {});
    expect(cancel.status).toBe(201);
    expect(((await cancel.json()) as Json).state).toBe('cancelled');
    expect((await a.post(`/v1/jobs/${big.id}/cancel`, {})).status).toBe(409);
    expect((await a.get(`/v1/jobs/${big.id}/result`)).status).toBe(409);
  }, 60_000);

  it('load smoke: 12 small jobs from 4 concurrent clients all complete, none lost', async () => {
    const spec = { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 'stats', estimator: 'describe' }] };
    const ids = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const mine: string[] = [];
        for (let j = 0; j < 3; j++) mine.push(((await (await api(base, KEY_B).post('/v1/analyses', spec)).json()) as Json).id);
        return mine;
      }),
    );
    const all = ids.flat();
    const states = await Promise.all(all.map(async (id) => (await waitForJob(base, KEY_B, id)).state));
    expect(states).toEqual(all.map(() => 'succeeded'));
    const listed = ((await (await api(base, KEY_B).get('/v1/jobs')).json()) as Json).jobs.map((j: Json) => j.id);
    expect(all.every((id) => listed.includes(id))).toBe(true);
  }, 60_000);

  it('keeps datasets, jobs and results across a restart', async () => {
    await server.close();
    server = await startTestServer(tmp.dir);
    base = server.url;
    expect((await api(base, KEY_A).get(`/v1/datasets/${datasetId}`)).status).toBe(200);
    const job = (await (await api(base, KEY_A).get(`/v1/jobs/${jobId}`)).json()) as Json;
    expect(job.state).toBe('succeeded');
    expect((await api(base, KEY_A).get(`/v1/jobs/${jobId}/report`)).status).toBe(200);
    expect((await api(base, KEY_A).del(`/v1/datasets/${datasetId}`)).status).toBe(204);
    expect((await api(base, KEY_A).get(`/v1/datasets/${datasetId}`)).status).toBe(404);
  });
});

describe('API with Redis unreachable (one-process Redis mode)', () => {
  it('accepts a submit with a note (202), fails it past PANEL_LAB_QUEUE_DOWN_MS naming the bound, answers 503 on /ready, and applies per-tenant job limits first (429)', async () => {
    const tmp = await tempDir('panel-lab-api-noredis-');
    // port 9 on loopback: nothing listens there
    const server = await startTestServer(tmp.dir, { redisUrl: 'redis://127.0.0.1:9', tenantLimits: { beta: { activeJobs: 0 } }, queue: { ...testConfig(tmp.dir).queue, unreachableAfterMs: 1500 }, startupQueueWaitMs: 0 });
    try {
      const res = await api(server.url, KEY_A).post('/v1/analyses', { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 's', estimator: 'describe' }] });
      expect(res.status).toBe(202);
      const job = (await res.json()) as Json;
      expect(job.state).toBe('queued');
      expect((job.notes as string[]).join('\n')).toMatch(/the job queue \(Redis at 127\.0\.0\.1:9\) was unreachable at submit; the job is added once it is back \(failed after 1500 ms, PANEL_LAB_QUEUE_DOWN_MS\)/);
      expect((await fetch(`${server.url}/ready`)).status).toBe(503);
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      const limited = await api(server.url, KEY_B).post('/v1/analyses', { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 's', estimator: 'describe' }] });
      expect(limited.status).toBe(429);
      expect(((await limited.json()) as Json).message).toMatch(/tenant 'beta' has 0 jobs queued or running \(limit 0\)/);
      const done = await waitForJob(server.url, KEY_A, String(job.id), 20_000);
      expect(done.state).toBe('failed');
      expect((done.error as Json).message).toMatch(/^the job queue \(Redis at 127\.0\.0\.1:9\) stayed unreachable for \d+ ms \(bound 1500 ms, PANEL_LAB_QUEUE_DOWN_MS\): .*; submit it again$/);
    } finally {
      await server.close();
      await tmp.cleanup();
    }
  }, 30_000);
});
