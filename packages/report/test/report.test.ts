import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, writeReport } from '../src/index.js';
import type { Report, ReportInput } from '../src/index.js';
import { demoReportInput } from './fixtures.js';

let input: ReportInput;
let report: Report;
let dir: string;

beforeAll(async () => {
  input = await demoReportInput();
  report = buildReport(input);
  dir = await mkdtemp(join(tmpdir(), 'panel-lab-report-'));
}, 30_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Replaces one block of the demo input, to test the validation of that block. */
function withBlock(block: unknown): ReportInput {
  const [first, ...rest] = input.sections;
  return { ...input, sections: [{ ...(first as ReportInput['sections'][number]), blocks: [block as never] }, ...rest] };
}

describe('buildReport html', () => {
  it('is self-contained: no script, no stylesheet link, http only in SVG xmlns attributes', () => {
    expect(report.html).not.toMatch(/<script|<link|<img|<iframe/i);
    const http = [...report.html.matchAll(/(\S{0,14})https?:\/\//g)].map((m) => m[1]);
    expect(http.length).toBeGreaterThan(0);
    for (const before of http) expect(before).toMatch(/^xmlns(:xlink)?="$/);
  });

  it('has a figure per figure block, numbered in order with its caption, and a contents list', () => {
    const figures = [...report.html.matchAll(/<figure id="fig-([^"]+)">/g)].map((m) => m[1]);
    expect(figures).toEqual(['trend', 'event-study', 'placebo', 'bacon', 'pscore', 'net-effect', 'surface', 'size-box']);
    expect(report.html).toContain('<span class="label">Figure 2.</span> Seed 000, Fig. 4: event study');
    expect(report.html).toContain('<a href="#fig-surface">Figure 7</a>');
    expect(report.html).toContain('<a href="#tab-truth-did">Table 3</a> Estimates vs true effects');
  });

  it('scopes SVG ids per figure so inline charts do not share clip paths', () => {
    const ids = [...report.html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of report.html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(m[1]);
  });

  it('includes the already-rendered etable HTML and the truth comparison with its coverage line', () => {
    expect(report.html).toContain('<td>treat</td><td>-0.043</td>');
    expect(report.html).toContain("1 of 2 confidence intervals cover the generator's true value.");
  });
});

describe('buildReport markdown', () => {
  it('references figures as files and carries tables and sections', () => {
    expect(report.markdown).toContain('![Figure 2: Seed 000, Fig. 4: event study');
    expect(report.markdown).toContain('](figures/event-study.svg)');
    expect(report.markdown).toContain('## 2 Digital economy and carbon emissions (ANN)');
    expect(report.markdown).toContain('| treat_post | -0.043 | 0.011 | 1.00e-4 |');
    expect(report.markdown).not.toContain('<svg');
  });
});

describe('buildReport validation', () => {
  it('rejects duplicate ids, naming the id', () => {
    const fig = { kind: 'figure', id: 'did', caption: 'c', svg: '<svg></svg>' };
    expect(() => buildReport(withBlock(fig))).toThrow(/duplicate id 'did'/);
  });

  it('rejects a figure without caption, a non-SVG and an SVG with a script or external link', () => {
    expect(() => buildReport(withBlock({ kind: 'figure', id: 'f', caption: ' ', svg: '<svg></svg>' }))).toThrow(/figure 'f'.*caption is empty/);
    expect(() => buildReport(withBlock({ kind: 'figure', id: 'f', caption: 'c', svg: '<div/>' }))).toThrow(/must start with <svg/);
    expect(() => buildReport(withBlock({ kind: 'figure', id: 'f', caption: 'c', svg: '<svg><script>x</script></svg>' }))).toThrow(/<script>/);
    expect(() => buildReport(withBlock({ kind: 'figure', id: 'f', caption: 'c', svg: '<svg><image href="https://x.org/a.png"/></svg>' }))).toThrow(/external URLs/);
  });

  it('rejects unsafe file ids and rendered tables that load resources', () => {
    expect(() => buildReport(withBlock({ kind: 'figure', id: '../x', caption: 'c', svg: '<svg></svg>' }))).toThrow(/'..\/x' must be/);
    expect(() => buildReport(withBlock({ kind: 'table', id: 't', rendered: { title: 'T', markdown: '', html: '<img src="a.png">' } }))).toThrow(/table 't'.*must not load/);
    expect(() => buildReport(withBlock({ kind: 'table', id: 't' }))).toThrow(/exactly one of table or rendered/);
  });

  it('returns a frozen report', () => {
    expect(Object.isFrozen(report)).toBe(true);
    expect(Object.isFrozen(report.figures)).toBe(true);
  });
});

describe('writeReport', () => {
  it('writes html, markdown, every figure (svg + spec), table (csv) and result (json)', async () => {
    const written = await writeReport(report, dir);
    expect(await readFile(written.html, 'utf8')).toBe(report.html);
    expect((await readdir(join(dir, 'figures'))).sort()).toEqual(
      ['bacon', 'event-study', 'net-effect', 'placebo', 'pscore', 'size-box', 'surface', 'trend'].flatMap((id) => [`${id}.svg`, `${id}.vl.json`]),
    );
    expect((await readdir(join(dir, 'tables'))).sort()).toEqual(['tab-baseline.csv', 'tab-etable.csv', 'truth-did.csv']);
    const csv = await readFile(join(dir, 'tables', 'truth-did.csv'), 'utf8');
    expect(csv.split('\r\n')[1]).toBe('ATT (simple),-0.043,0.011,-0.065,-0.021,-0.04,-0.0029999999999999957,-0.07499999999999989,yes');
    const result = JSON.parse(await readFile(join(dir, 'results', 'twfe.json'), 'utf8')) as { draws: unknown };
    expect(result.draws).toEqual([1, null, 3]);
    const spec = JSON.parse(await readFile(join(dir, 'figures', 'surface.vl.json'), 'utf8')) as { $schema: string };
    expect(spec.$schema).toContain('vega-lite');
    const index = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as { figures: unknown[]; tables: unknown[] };
    expect(index.figures).toHaveLength(8);
    expect(index.tables).toHaveLength(3);
  });
});
