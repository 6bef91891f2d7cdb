import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, InputError, TooLargeError, jobBoundIssues, openJobSystem, type JobSystem } from '../src/index.js';
import { HeldExecutor } from './held-executor.js';

const describeSpec = (dataset: unknown) => ({ dataset, analyses: [{ id: 'stats', estimator: 'describe' }] });

/** The InputError a call throws, with its issues as "path: message" lines. */
async function issuesOf(call: Promise<unknown>): Promise<string[]> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).issues.map((i) => `${i.path}: ${i.message}`);
}

describe('input bounds (pure)', () => {
  it('names each field over its limit, on raw or parsed input', () => {
    const at = (kind: 'analysis' | 'placebo', input: unknown) => jobBoundIssues(kind, input, DEFAULT_LIMITS).map((i) => `${i.path}: ${i.message}`);
    expect(at('placebo', { draws: 1e9, chunkSize: 1000 })).toEqual(['draws: at most 1000000', expect.stringMatching(/^chunkSize: draws \/ chunkSize = 1000000 chunks; at most 1000/)]);
    expect(at('placebo', { draws: 1e6, chunkSize: 1 })).toEqual([expect.stringMatching(/^chunkSize: .* at most 1000 \(use a chunkSize of at least 1000\)/)]);
    expect(at('placebo', { draws: 1e6, chunkSize: 1000 })).toEqual([]);
    expect(at('analysis', { dataset: { source: 'synthetic', cities: 1e8 } })).toEqual(['dataset.cities: at most 100000']);
    expect(at('analysis', { dataset: { source: 'synthetic', years: [1, 1_000_000] } })).toEqual(['dataset.years: at most 60 years (asked for 1000000)']);
    expect(at('analysis', { dataset: { source: 'synthetic', cities: 100_000, years: 30 } })).toEqual(['dataset.cities: cities x years = 3000000 rows; at most 2000000 rows']);
    expect(at('analysis', { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 'p', estimator: 'placebo', draws: 1e9 }, { id: 'cs', bootstrapDraws: 5e6 }] })).toEqual([
      'analyses[0].draws: at most 1000000',
      'analyses[1].bootstrapDraws: at most 1000000',
    ]);
    // not numbers: left to the schema, which names them too
    expect(at('analysis', { dataset: { source: 'synthetic', cities: 'many' } })).toEqual([]);
  });
});

describe('input bounds at submit (job system with a held executor)', () => {
  let dataDir: string;
  let sys: JobSystem;
  const executor = new HeldExecutor();

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'panel-lab-bounds-'));
    sys = await openJobSystem({ dataDir, executor, limits: { uploadBytes: 400_000, maxRows: 50 }, tenantLimits: { small: { maxCities: 10 } } });
  });
  afterAll(async () => {
    await sys?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a 1e9-draw placebo job and a 1e8-city analysis at once, recording no job', async () => {
    const t0 = performance.now();
    expect(await issuesOf(sys.jobs.submitPlacebo('t', { dataset: { source: 'example', name: 'mpdta' }, outcome: 'lemp', cohort: 'first.treat', draws: 1e9, chunkSize: 100_000 }))).toEqual([
      'draws: at most 1000000',
      expect.stringMatching(/^chunkSize: draws \/ chunkSize = 10000 chunks; at most 1000/),
    ]);
    expect(await issuesOf(sys.jobs.submitAnalysis('t', describeSpec({ source: 'synthetic', cities: 1e8 })))).toEqual(['dataset.cities: at most 100000']);
    expect(await issuesOf(sys.jobs.submitAnalysis('t', describeSpec({ source: 'synthetic', years: [2000, 3000] })))).toEqual(['dataset.years: at most 60 years (asked for 1001)']);
    expect(await issuesOf(sys.jobs.submitPlacebo('t', { dataset: { source: 'synthetic', cities: 2e5 }, outcome: 'y', cohort: 'c' }))).toEqual(['dataset.cities: at most 100000']);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(await sys.jobs.list('t')).toEqual([]);
    expect(executor.started).toEqual([]);
  });

  it('applies defaults before checking (an analysis default of 999 draws passes) and per-tenant overrides', async () => {
    expect(await issuesOf(sys.jobs.submitAnalysis('small', describeSpec({ source: 'synthetic', cities: 11 })))).toEqual(['dataset.cities: at most 10']);
    const ok = await sys.jobs.submitAnalysis('t', describeSpec({ source: 'synthetic', cities: 5, years: 4 }));
    expect(ok.state).toBe('queued');
    await sys.jobs.cancel('t', ok.id);
  });

  it('holds synthetic datasets to the tenant limits and the upload byte limit, generating nothing too big', async () => {
    expect(await issuesOf(Promise.resolve().then(() => sys.datasets.parseSynthetic('t', { name: 's', cities: 1e8 })))).toEqual(['cities: at most 100000']);
    expect(await issuesOf(Promise.resolve().then(() => sys.datasets.parseSynthetic('t', { name: 's', years: [1, 5000] })))).toEqual(['years: at most 60 years (asked for 5000)']);
    // 20 x 9 = 180 rows: over maxRows 50
    expect(await issuesOf(sys.datasets.registerSynthetic('t', { name: 's', seed: 1, cities: 20, years: 9 }))).toEqual([
      'cities: cities x years = 180 rows; at most 50 rows',
    ]);
    const sized = await openJobSystem({ dataDir: join(dataDir, 'sized'), executor, limits: { uploadBytes: 100_000 } });
    try {
      const err = await sized.datasets.registerSynthetic('t', { name: 's', seed: 1, cities: 200, years: 9 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TooLargeError);
      expect((err as Error).message).toMatch(/1800 rows .* over this tenant's limit of 100000 bytes/);
      const small = await sized.datasets.registerSynthetic('t', { name: 's', seed: 1, cities: 5, years: 3 });
      expect(small.bytes).toBeLessThanOrEqual(100_000);
      expect((await sized.datasets.list('t')).map((d) => d.id)).toEqual([small.id]);
      expect(await readdir(join(dataDir, 'sized', 'tenants', 't', 'datasets'))).toEqual([`${small.id}.arrow`]);
    } finally {
      await sized.close();
    }
  });

  it('refuses an upload with more rows than maxRows, naming the count', async () => {
    const csv = `u,t,y\n${Array.from({ length: 60 }, (_, i) => `${i},2000,1`).join('\n')}\n`;
    const err = await sys.datasets.upload('t', { name: 'rows', format: 'csv', unit: 'u', time: 't', categorical: [] }, Readable.from([csv])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe('the upload has 60 rows; at most 50');
  });
});
