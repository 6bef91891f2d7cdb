import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../src/index.js';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { api, KEY_A, KEY_B, panelBytes, startTestServer, tempDir } from './helpers.js';

type Json = Record<string, any>;

describe('input bounds over HTTP (422 at once, naming the field)', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let server: ApiServer;
  let csv: Buffer;

  beforeAll(async () => {
    tmp = await tempDir('panel-lab-api-limits-');
    csv = await panelBytes(tmp.dir, 'csv', 10);
    // tenant beta has room for the CSV file, not for its Arrow copy
    server = await startTestServer(tmp.dir, { threads: 1, limits: { uploadBytes: 300_000, activeJobs: 10, datasets: 10 }, tenantLimits: { beta: { datasetBytes: csv.length + 1 } } });
  });
  afterAll(async () => {
    await server?.close();
    await tmp?.cleanup();
  });

  const timed = async (call: () => Promise<Response>) => {
    const t0 = performance.now();
    const res = await call();
    return { res, body: (await res.json()) as Json, ms: performance.now() - t0 };
  };

  it('a 1e8-city synthetic dataset, analysis or placebo job gets 422 naming dataset.cities', async () => {
    const a = api(server.url, KEY_A);
    const analysis = await timed(() => a.post('/v1/analyses', { dataset: { source: 'synthetic', cities: 1e8 }, analyses: [{ id: 's', estimator: 'describe' }] }));
    expect(analysis.res.status).toBe(422);
    expect(analysis.body.issues).toEqual([{ path: 'dataset.cities', message: 'at most 100000' }]);
    expect(analysis.body.message).toMatch(/dataset\.cities: at most 100000/);
    expect(analysis.ms).toBeLessThan(1000);
    const dataset = await timed(() => a.post('/v1/datasets/synthetic', { name: 'huge', cities: 1e8 }));
    expect(dataset.res.status).toBe(422);
    expect(dataset.body.issues).toEqual([{ path: 'cities', message: 'at most 100000' }]);
    const years = await timed(() => a.post('/v1/datasets/synthetic', { name: 'long', years: [1, 1e6] }));
    expect(years.res.status).toBe(422);
    expect(years.body.issues[0].path).toBe('years');
  });

  it('a 1e9-draw placebo job or analysis gets 422 naming draws; too many chunks names chunkSize', async () => {
    const a = api(server.url, KEY_A);
    const placebo = await timed(() => a.post('/v1/placebo', { dataset: { source: 'example', name: 'mpdta' }, outcome: 'lemp', cohort: 'first.treat', draws: 1e9, chunkSize: 100_000 }));
    expect(placebo.res.status).toBe(422);
    expect(placebo.body.issues.map((i: Json) => i.path)).toEqual(['draws', 'chunkSize']);
    expect(placebo.ms).toBeLessThan(1000);
    const chunks = await timed(() => a.post('/v1/placebo', { dataset: { source: 'example', name: 'mpdta' }, outcome: 'lemp', cohort: 'first.treat', draws: 100_000, chunkSize: 10 }));
    expect(chunks.res.status).toBe(422);
    expect(chunks.body.issues[0].message).toMatch(/10000 chunks; at most 1000 \(use a chunkSize of at least 100\)/);
    const analysis = await timed(() => a.post('/v1/analyses', { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 'p', estimator: 'placebo', outcomes: ['lemp'], cohort: 'first.treat', draws: 1e9 }] }));
    expect(analysis.res.status).toBe(422);
    expect(analysis.body.issues).toEqual([{ path: 'analyses[0].draws', message: 'at most 1000000' }]);
    expect(((await (await a.get('/v1/jobs')).json()) as Json).jobs).toEqual([]);
  });

  it('a generated dataset over the upload byte limit gets 413 and leaves nothing', async () => {
    const a = api(server.url, KEY_A);
    const big = await timed(() => a.post('/v1/datasets/synthetic', { name: 'big', cities: 286, years: 9 }));
    expect(big.res.status).toBe(413);
    expect(big.body.message).toMatch(/2574 rows .* over this tenant's limit of 300000 bytes/);
    expect(((await (await a.get('/v1/datasets')).json()) as Json).datasets).toEqual([]);
  });

  it("an upload whose Arrow copy passes the tenant's dataset-bytes quota gets 429 naming both sizes and leaves nothing", async () => {
    const b = api(server.url, KEY_B);
    const res = await b.upload('/v1/datasets?name=p&unit=city_code&time=year&categorical=province,region,grid_region,admin_rank,city_size_class,pilot_type', csv, 'text/csv');
    const body = (await res.json()) as Json;
    expect(res.status).toBe(429);
    expect(body).toMatchObject({ statusCode: 429, error: 'LimitError' });
    expect(body.requestId).toBeTruthy();
    expect(body.message).toMatch(new RegExp(`^tenant 'beta' stores 0 bytes of datasets \\(files and their Arrow copies; limit ${csv.length + 1} bytes\\); this upload is ${csv.length} bytes and its Arrow copy \\(what jobs read\\) \\d+ bytes, \\d+ in all, more than the ${csv.length + 1} bytes left; delete a dataset first$`));
    expect(((await (await b.get('/v1/datasets')).json()) as Json).datasets).toEqual([]);
    expect(await readdir(join(tmp.dir, 'tenants', 'beta', 'datasets')).catch(() => [])).toEqual([]);
  });
});
