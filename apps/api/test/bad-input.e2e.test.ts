// The bad-input corpus over HTTP (issue 17), the API-specific part; the panels and specs that fail
// inside an analysis are in packages/analysis/test/bad-input-corpus.test.ts. Each case gets a 4xx
// with a JSON body naming the field or column at fault and no server path, or a job that fails
// saying why; none is a silent success.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../src/index.js';
import { api, KEY_A, KEY_B, startTestServer, tempDir, waitForJob } from './helpers.js';

type Json = Record<string, any>;

/** A small absorbing-treatment panel as CSV: 20 units x 5 years, cohorts 2003 / never. */
function panelCsv(edit: (row: Json, i: number) => Json = (r) => r): string {
  const rows: Json[] = [];
  for (let u = 1; u <= 20; u++) {
    for (let t = 2001; t <= 2005; t++) {
      const g = u <= 8 ? 2003 : 0;
      const d = g && t >= g ? 1 : 0;
      rows.push({ id: u, year: t, g, d, x: ((u * 7 + t * 3) % 11) / 10, y: u / 10 + (t - 2000) / 5 + 0.5 * d + ((u * 13 + t) % 7) / 20 });
    }
  }
  const out = rows.map(edit);
  const cols = Object.keys(out[0]!);
  return [cols.join(','), ...out.map((r) => cols.map((c) => String(r[c])).join(','))].join('\n') + '\n';
}

describe('bad-input corpus over HTTP', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let server: ApiServer;
  let base: string;
  const A = () => api(base, KEY_A);

  beforeAll(async () => {
    tmp = await tempDir('panel-lab-api-corpus-');
    server = await startTestServer(tmp.dir, { threads: 1 });
    base = server.url;
  });
  afterAll(async () => {
    await server?.close();
    await tmp?.cleanup();
  });

  /** A 4xx JSON body that names `pattern` and carries no path of this server. */
  async function rejected(res: Response, status: number, pattern: RegExp): Promise<Json> {
    const body = (await res.json()) as Json;
    expect(res.status, JSON.stringify(body)).toBe(status);
    const text = JSON.stringify(body);
    expect(text).toMatch(pattern);
    expect(text).not.toContain(tmp.dir);
    expect(text).not.toMatch(/"\/|'\/|\s\/(tmp|work|home|srv|var)\//);
    expect(body.requestId).toBeTruthy();
    return body;
  }
  const upload = (csv: string | Uint8Array, query = 'name=p&unit=id&time=year', type = 'text/csv') => A().upload(`/v1/datasets?${query}`, csv, type);
  const placebo = (extra: Json) => A().post('/v1/placebo', { dataset: { source: 'example', name: 'mpdta' }, outcome: 'lemp', cohort: 'first.treat', ...extra });
  const raw = (body: string, type = 'application/json') => fetch(`${base}/v1/analyses`, { method: 'POST', headers: { 'X-API-Key': KEY_A, 'Content-Type': type }, body });

  describe('request bodies', () => {
    it('69 malformed JSON: 400 with the request id', async () => rejected(await raw('{"dataset": '), 400, /invalid JSON body/));
    it('70 a JSON array as the spec', async () => rejected(await raw('[1,2]'), 422, /dataset|analyses|object/));
    it('71 a JSON string as the spec (strict JSON: objects and arrays only)', async () => rejected(await raw('"spec"'), 400, /invalid JSON body/));
    it('71b a spec with a year range backwards', async () => rejected(await A().post('/v1/analyses', { dataset: { source: 'synthetic', cities: 10, years: [2019, 2011] }, analyses: [{ id: 's', estimator: 'describe' }] }), 422, /dataset\.years/));
    it('72 an unknown top-level field', async () => rejected(await A().post('/v1/analyses', { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 's', estimator: 'describe' }], priority: 'high' }), 422, /priority/));
    it('73 analyses as a string', async () => rejected(await A().post('/v1/analyses', { dataset: { source: 'example', name: 'mpdta' }, analyses: 'all' }), 422, /"path":"analyses"/));
    it('74 a body over the JSON limit: 413', async () => rejected(await raw(JSON.stringify({ pad: 'x'.repeat(1_200_000) })), 413, /over the limit/));
    it('75 an oversized header: 431, not a crash', async () => {
      const res = await fetch(`${base}/v1/jobs`, { headers: { 'X-API-Key': KEY_A, 'X-Pad': 'x'.repeat(20_000) } });
      expect(res.status).toBe(431);
      expect((await fetch(`${base}/health`)).status).toBe(200);
    });
    it('76 a huge API key: 401', async () => expect((await api(base, 'k'.repeat(4000)).get('/v1/jobs')).status).toBe(401));
  });

  describe('numbers out of range', () => {
    it('77 placebo draws 1e9', async () => rejected(await placebo({ draws: 1e9, chunkSize: 100_000 }), 422, /"path":"draws"/));
    it('78 placebo draws fractional', async () => rejected(await placebo({ draws: 100.5 }), 422, /"path":"draws"/));
    it('79 placebo draws as a string', async () => rejected(await placebo({ draws: '100' }), 422, /"path":"draws"/));
    it('80 placebo draws negative', async () => rejected(await placebo({ draws: -5 }), 422, /"path":"draws"/));
    it('81 placebo chunkSize 0', async () => rejected(await placebo({ draws: 100, chunkSize: 0 }), 422, /"path":"chunkSize"/));
    it('82 placebo draws 1e400 (Infinity once parsed)', async () => rejected(await (() => fetch(`${base}/v1/placebo`, { method: 'POST', headers: { 'X-API-Key': KEY_A, 'Content-Type': 'application/json' }, body: '{"dataset":{"source":"example","name":"mpdta"},"outcome":"lemp","cohort":"first.treat","draws":1e400}' }))(), 422, /"path":"draws"/));
    it('83 synthetic cities 1e8', async () => rejected(await A().post('/v1/datasets/synthetic', { name: 'big', cities: 1e8 }), 422, /"path":"cities"/));
    it('84 synthetic cities negative', async () => rejected(await A().post('/v1/datasets/synthetic', { name: 'neg', cities: -3 }), 422, /cities/));
    it('85 synthetic cities fractional', async () => rejected(await A().post('/v1/datasets/synthetic', { name: 'frac', cities: 10.5 }), 422, /cities/));
    it('86 synthetic years spanning 1e6', async () => rejected(await A().post('/v1/datasets/synthetic', { name: 'long', years: [1, 1e6] }), 422, /"path":"years"/));
    it('87 synthetic years reversed', async () => rejected(await A().post('/v1/datasets/synthetic', { name: 'rev', years: [2019, 2011] }), 422, /years/));
    it('88 an analysis on a 1e8-city synthetic panel', async () => rejected(await A().post('/v1/analyses', { dataset: { source: 'synthetic', cities: 1e8 }, analyses: [{ id: 's', estimator: 'describe' }] }), 422, /dataset\.cities/));
    it('89 an unknown synthetic field', async () => rejected(await A().post('/v1/datasets/synthetic', { name: 'x', cities: 10, rows: 5 }), 422, /rows/));
  });

  describe('uploads', () => {
    it('90 Inf in a column: 422 naming the column, count and rows', async () =>
      rejected(await upload(panelCsv((r, i) => (i === 6 ? { ...r, y: 'Inf' } : r))), 422, /column 'y' has 1 infinite value\(s\).*row\(s\) 7/));
    it('91 1e400 in a column', async () => rejected(await upload(panelCsv((r, i) => (i === 3 ? { ...r, x: '1e400' } : r))), 422, /column 'x' has 1 infinite/));
    it('92 non-UTF-8 bytes', async () => {
      const csv = Buffer.from(panelCsv(), 'utf8');
      rejected(await upload(Buffer.concat([csv.subarray(0, 30), Buffer.from([0xff, 0xfe]), csv.subarray(30)])), 422, /UTF-8/);
    });
    it('93 an Arrow file with a bad footer: no TypeError', async () => {
      const body = await rejected(await upload(Buffer.concat([Buffer.from('ARROW1\0\0'), Buffer.alloc(64, 3), Buffer.from('ARROW1')]), 'name=a&unit=id&time=year', 'application/vnd.apache.arrow.file'), 422, /Arrow IPC/);
      expect(body.message).not.toMatch(/TypeError|Cannot read properties/);
    });
    it('94 a Parquet file with a bad footer', async () => rejected(await upload(Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(40, 9), Buffer.from('PAR1')]), 'name=q&unit=id&time=year', 'application/vnd.apache.parquet'), 422, /Parquet/));
    it('95 an empty body', async () => rejected(await upload(''), 422, /empty/));
    it('96 ragged CSV rows', async () => rejected(await upload('id,year,y\n1,2001,1\n1,2002\n'), 422, /row 2 has 2 fields, expected 3|wrong number of fields/));
    it('97 duplicated (unit, time) rows', async () => rejected(await upload('id,year,y\n1,2001,1\n1,2001,2\n'), 422, /duplicate \(id, year\)/));
    it('98 a missing time column', async () => rejected(await upload(panelCsv(), 'name=p&unit=id&time=yr'), 422, /yr/));
    it('99 an unknown query parameter', async () => rejected(await upload(panelCsv(), 'name=p&unit=id&time=year&delimiter=%3B'), 422, /delimiter/));
    it('100 a name with a NUL byte', async () => rejected(await upload(panelCsv(), 'name=a%00b&unit=id&time=year'), 422, /"path":"name"/));
    it('101 a dataset id with a path in it', async () => rejected(await A().get('/v1/datasets/..%2F..%2Fetc'), 422, /dataset id/));
    it('102 a job id with a path in it', async () => rejected(await A().get('/v1/jobs/..%2Fmeta'), 422, /job id/));
  });

  describe('jobs that must fail, not succeed silently', () => {
    let ok: string;
    beforeAll(async () => {
      const res = await upload(panelCsv(), 'name=clean&unit=id&time=year');
      ok = ((await res.json()) as Json).id;
    });
    const job = async (dataset: string, analyses: Json[], key = KEY_A) => {
      const res = await api(base, key).post('/v1/analyses', { dataset: { source: 'dataset', id: dataset }, analyses });
      const body = (await res.json()) as Json;
      expect(res.status, JSON.stringify(body)).toBe(202);
      return waitForJob(base, key, body.id, 60_000);
    };
    const failedJob = (done: Json, pattern: RegExp) => {
      expect(done.state, JSON.stringify(done)).toBe('failed');
      expect(JSON.stringify(done.error)).toMatch(pattern);
      expect(JSON.stringify(done.error)).not.toContain(tmp.dir);
    };

    it('103 a clean upload runs TWFE with a finite estimate (the control case)', async () => {
      const done = await job(ok, [{ id: 't', estimator: 'twfe', outcomes: ['y'], treatment: 'd', cohort: 'g' }]);
      expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    }, 60_000);
    it('104 a treatment with no treated units fails naming it', async () => {
      const res = await upload(panelCsv((r) => ({ ...r, d: 0 })), 'name=untreated&unit=id&time=year');
      await failedJob(await job(((await res.json()) as Json).id, [{ id: 't', estimator: 'twfe', outcomes: ['y'], treatment: 'd' }]), /collinear with the fixed effects \(d\)|treatment 'd'.*collinear with the fixed effects/);
    }, 60_000);
    it('105 a treatment that switches off fails naming the unit', async () => {
      const res = await upload(panelCsv((r) => (r.id === 2 && r.year === 2005 ? { ...r, d: 0 } : r)), 'name=switch&unit=id&time=year');
      await failedJob(await job(((await res.json()) as Json).id, [{ id: 't', estimator: 'twfe', outcomes: ['y'], treatment: 'd' }]), /switches off after adoption in 1 unit\(s\): '2'/);
    }, 60_000);
    it('106 fractional years fail an event study naming the time column', async () => {
      const res = await upload(panelCsv((r) => ({ ...r, year: r.year === 2004 ? 2004.5 : r.year })), 'name=frac&unit=id&time=year');
      await failedJob(await job(((await res.json()) as Json).id, [{ id: 'e', estimator: 'event_study', outcomes: ['y'], cohort: 'g' }]), /time column 'year' has fractional values/);
    }, 60_000);
    it("107 another tenant's dataset id is refused", async () => rejected(await api(base, KEY_B).post('/v1/analyses', { dataset: { source: 'dataset', id: ok }, analyses: [{ id: 's', estimator: 'describe' }] }), 422, new RegExp(ok)));
    it('108 a placebo job naming a missing outcome is refused or fails naming it', async () => {
      const res = await A().post('/v1/placebo', { dataset: { source: 'dataset', id: ok }, outcome: 'nope', cohort: 'g', draws: 20, chunkSize: 10 });
      const body = (await res.json()) as Json;
      if (res.status === 202) await failedJob(await waitForJob(base, KEY_A, body.id, 60_000), /nope/);
      else expect(JSON.stringify(body)).toMatch(/nope/);
    }, 60_000);
  });
});
