import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisFailedError, renderRunReport, runSpec, writeRunReport } from '../src/index.js';

const spec = {
  dataset: { source: 'example', name: 'mpdta' },
  analyses: [
    { id: 'stats', estimator: 'describe' },
    { id: 'es-main', estimator: 'event_study', outcomes: ['D'], cohort: 'first.treat' },
    { id: 'trends', estimator: 'trends', outcomes: ['lemp'], cohort: 'first.treat' },
  ],
};

describe('a run with a failing analysis', () => {
  it('records the failure with its place in the spec and still runs the others', async () => {
    const run = await runSpec(spec);
    expect(run.analyses.map((a) => [a.id, a.status])).toEqual([['stats', 'ok'], ['es-main', 'failed'], ['trends', 'ok']]);
    expect(run.failures).toHaveLength(1);
    const failure = run.failures[0]!;
    expect(failure).toMatchObject({ where: "analyses[1] 'es-main'", id: 'es-main', estimator: 'event_study', stage: 'input' });
    expect(failure.message).toMatch(/^outcome 'D' \(outcomes\[0\]\) not found; columns are: year, countyreal, lpop, lemp, first\.treat, treat$/);
    expect(run.analyses[1]!.results).toEqual({ status: 'failed', failure });
    expect(run.analyses[2]!.blocks.length).toBeGreaterThan(0);
  });

  it('shows the failed block in the report and writes every result file', async () => {
    const run = await runSpec(spec);
    const report = renderRunReport(run);
    expect(report.html).toContain('<span class="label">Failed:</span> analyses[1] &#39;es-main&#39; (event_study)');
    expect(report.markdown).toContain("> outcome 'D' (outcomes[0]) not found");
    expect(report.meta.failed).toBe("1 of 3 analyses: analyses[1] 'es-main'");
    const dir = await mkdtemp(join(tmpdir(), 'panel-lab-failures-'));
    await writeRunReport(run, dir);
    const failed = JSON.parse(await readFile(join(dir, 'results', 'es-main.json'), 'utf8'));
    expect(failed).toMatchObject({ status: 'failed', failure: { where: "analyses[1] 'es-main'" } });
    expect(JSON.parse(await readFile(join(dir, 'results', 'trends.json'), 'utf8')).results).toHaveProperty('cohortSizes');
    expect(JSON.parse(await readFile(join(dir, 'results', 'run.json'), 'utf8')).failures).toHaveLength(1);
  });

  it('with failFast, stops at the failure with an error naming the analysis', async () => {
    const error = await runSpec(spec, { failFast: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalysisFailedError);
    expect((error as Error).message).toMatch(/^analyses\[1\] 'es-main': outcome 'D' \(outcomes\[0\]\) not found; columns are: /);
  });

  it('wraps an estimator error with the analysis path', async () => {
    const run = await runSpec({ ...spec, analyses: [{ id: 'es-window', estimator: 'event_study', outcomes: ['lemp'], cohort: 'first.treat', window: [1, 3] }] });
    expect(run.failures[0]).toMatchObject({ where: "analyses[0] 'es-window'", stage: 'estimation' });
    expect(run.failures[0]!.message).toMatch(/ref -1 is outside the window \[1, 3\]/);
  });
});
