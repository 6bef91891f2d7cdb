import { describe, expect, it } from 'vitest';
import { parseRunSpec, runSpec, runSpecJsonSchema } from '../src/index.js';
import { specIssues } from './spec-issues.js';

const minimal = {
  dataset: { source: 'example', name: 'mpdta' },
  analyses: [{ id: 'stats', estimator: 'describe' }],
};

describe('run spec', () => {
  it('fills defaults', () => {
    const spec = parseRunSpec(minimal);
    expect(spec.seed).toBe(20240601);
    expect(spec.backend).toEqual({ name: 'cpu', allowFallback: true });
    expect(spec.transforms).toEqual([]);
  });

  it('names the field at fault', () => {
    const bad = { ...minimal, analyses: [{ id: 'x', estimator: 'describe', columns: 'lemp' }, { id: 'x', estimator: 'nope' }] };
    const paths = specIssues(bad).map((i) => i.path);
    expect(paths).toContain('analyses[0].columns');
    expect(paths.some((p) => p.startsWith('analyses[1]'))).toBe(true);
    expect(() => parseRunSpec({ ...minimal, dataset: { source: 'file', path: 'x.csv', time: 'year' } })).toThrow(/dataset\.unit/);
    expect(() => parseRunSpec({ ...minimal, analyses: [{ id: 'a', estimator: 'describe' }, { id: 'a', estimator: 'describe' }] })).toThrow(
      /analyses\[1\]\.id \(analysis 'a', describe\): duplicate analysis id 'a'/,
    );
  });

  it('names the analysis id of each bad option and lists what would be valid', () => {
    const bad = { ...minimal, analyses: [{ id: 'es-main', estimator: 'event_study', outcomes: ['lemp'], endpoints: 'clip', refPeriod: -1 }] };
    expect(() => parseRunSpec(bad)).toThrow(/analyses\[0\]\.endpoints \(analysis 'es-main', event_study\): Invalid option: expected one of "bin"\|"trim"/);
    expect(() => parseRunSpec(bad)).toThrow(/analyses\[0\] \(analysis 'es-main', event_study\): unknown option 'refPeriod'; event_study options are: id, estimator, title, intro, outcomes, cohort, controls, window, ref, endpoints, cluster, weights, alpha, simultaneousDraws, figure, adjust/);
    expect(() => parseRunSpec(bad)).toThrow(/analyses\[0\]\.cohort \(analysis 'es-main', event_study\): required, but missing \(expected string\)/);
    expect(specIssues(bad)[0]!.analysis).toEqual({ where: "analyses[0] 'es-main'", id: 'es-main', estimator: 'event_study' });
  });

  it('publishes a JSON Schema that lists every estimator', () => {
    const schema = JSON.stringify(runSpecJsonSchema());
    expect(schema).toContain('"describe"');
    expect(schema).toContain('"dataset"');
  });

  it('runs a describe analysis on the bundled example with progress', async () => {
    const updates: number[] = [];
    const run = await runSpec(minimal, { onProgress: (u) => updates.push(u.overall) });
    expect(run.dataset.nobs).toBe(2500);
    expect(run.dataset.units).toBe(500);
    const block = run.analyses[0]!.blocks[0]!;
    if (block.kind !== 'table' || !block.table) throw new Error('expected a table block');
    const lemp = block.table.rows.find((r) => r[0] === 'lemp')!;
    expect(lemp[1]).toBe(2500);
    expect(updates.at(-1)).toBe(1);
    expect([...updates].sort((a, b) => a - b)).toEqual(updates);
  });

  it('stops a cancelled run', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runSpec(minimal, { signal: controller.signal })).rejects.toThrow(/cancelled/);
  });
});
