import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/index.js';

function captureOutput() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  return { out: () => out.join(''), err: () => err.join('') };
}

afterEach(() => vi.restoreAllMocks());

describe('panel-lab CLI', () => {
  it('has --help for every command', async () => {
    for (const command of ['replicate', 'run', 'generate', 'describe', 'schema']) {
      const io = captureOutput();
      const code = await main(['node', 'panel-lab', command, '--help']);
      vi.restoreAllMocks();
      expect(code).toBe(0);
      expect(io.out()).toMatch(new RegExp(`Usage: panel-lab ${command}`));
    }
  });

  it('describes the bundled example', async () => {
    const io = captureOutput();
    expect(await main(['node', 'panel-lab', 'describe', 'mpdta', '--format', 'markdown'])).toBe(0);
    expect(io.out()).toMatch(/lemp/);
    expect(io.out()).toMatch(/500/);
  });

  it('fails with a clear message and a non-zero exit', async () => {
    const io = captureOutput();
    expect(await main(['node', 'panel-lab', 'describe', 'missing.csv'])).toBe(1);
    expect(io.err()).toMatch(/panel-lab: error: reading 'missing.csv' needs --unit and --time/);
    expect(await main(['node', 'panel-lab', 'generate', '--out', 'x.csv', '--cities', 'many'])).not.toBe(0);
    expect(io.err()).toMatch(/--cities must be an integer/);
    expect(await main(['node', 'panel-lab', 'frobnicate'])).not.toBe(0);
  });

  it('runs a spec file and writes the report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'panel-lab-cli-'));
    const specPath = join(dir, 'spec.json');
    await writeFile(specPath, JSON.stringify({ dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 'stats', estimator: 'describe' }] }));
    const io = captureOutput();
    expect(await main(['node', 'panel-lab', 'run', specPath, '--out', join(dir, 'out')])).toBe(0);
    expect(io.out()).toMatch(/timings/);
    const html = await readFile(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toMatch(/Descriptive statistics/);
  });

  it('rejects an invalid spec naming the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'panel-lab-cli-'));
    const specPath = join(dir, 'spec.json');
    await writeFile(specPath, JSON.stringify({ dataset: { source: 'example', name: 'nope' }, analyses: [] }));
    const io = captureOutput();
    expect(await main(['node', 'panel-lab', 'run', specPath])).toBe(1);
    expect(io.err()).toMatch(/dataset\.name/);
    expect(io.err()).toMatch(/analyses/);
  });

  it('keeps the results of the other analyses when one fails, shows the failure, and exits 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'panel-lab-cli-'));
    const specPath = join(dir, 'spec.json');
    const analyses = [
      { id: 'stats', estimator: 'describe' },
      { id: 'es-main', estimator: 'event_study', outcomes: ['D'], cohort: 'first.treat' },
      { id: 'trends', estimator: 'trends', outcomes: ['lemp'], cohort: 'first.treat' },
    ];
    await writeFile(specPath, JSON.stringify({ dataset: { source: 'example', name: 'mpdta' }, analyses }));
    const io = captureOutput();
    expect(await main(['node', 'panel-lab', 'run', specPath, '--out', join(dir, 'out')])).toBe(2);
    expect(io.err()).toMatch(/panel-lab: 1 of 3 analyses failed; the others' results are written/);
    expect(io.err()).toMatch(/analyses\[1\] 'es-main' \(event_study\): outcome 'D' \(outcomes\[0\]\) not found; columns are: year, countyreal, lpop, lemp, first\.treat, treat/);
    expect(io.out()).toMatch(/es-main +\d+\.\d+ s {2}FAILED/);
    const html = await readFile(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toMatch(/Descriptive statistics/);
    expect(html).toContain('<span class="label">Failed:</span> analyses[1] &#39;es-main&#39; (event_study)');
    expect(JSON.parse(await readFile(join(dir, 'out', 'results', 'trends.json'), 'utf8')).results).toHaveProperty('lemp');
    expect(JSON.parse(await readFile(join(dir, 'out', 'results', 'es-main.json'), 'utf8'))).toMatchObject({ status: 'failed' });
  });

  it('with --fail-fast stops at the failing analysis, names it, writes nothing and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'panel-lab-cli-'));
    const specPath = join(dir, 'spec.json');
    const analyses = [{ id: 'es-main', estimator: 'event_study', outcomes: ['D'], cohort: 'first.treat' }, { id: 'stats', estimator: 'describe' }];
    await writeFile(specPath, JSON.stringify({ dataset: { source: 'example', name: 'mpdta' }, analyses }));
    const io = captureOutput();
    expect(await main(['node', 'panel-lab', 'run', specPath, '--out', join(dir, 'out'), '--fail-fast'])).toBe(1);
    expect(io.err()).toMatch(/panel-lab: error: analyses\[0\] 'es-main': outcome 'D'/);
    await expect(access(join(dir, 'out', 'report.html'))).rejects.toThrow();
  });

  it("resolves a relative dataset path against the spec file's folder, and names the field when it is missing", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'panel-lab-cli-'));
    await writeFile(join(dir, 'panel.csv'), 'city,year,y\na,2020,1\na,2021,2\nb,2020,3\nb,2021,4\n');
    const dataset = { source: 'file', path: 'panel.csv', unit: 'city', time: 'year' };
    await writeFile(join(dir, 'spec.json'), JSON.stringify({ dataset, analyses: [{ id: 'stats', estimator: 'describe' }] }));
    await writeFile(join(dir, 'missing.json'), JSON.stringify({ dataset: { ...dataset, path: 'data/nope.csv' }, analyses: [{ id: 'stats', estimator: 'describe' }] }));
    const io = captureOutput();
    expect(await main(['node', 'panel-lab', 'run', join(dir, 'spec.json'), '--out', join(dir, 'out')])).toBe(0);
    expect(await main(['node', 'panel-lab', 'run', join(dir, 'missing.json'), '--out', join(dir, 'out2')])).toBe(1);
    expect(io.err()).toContain(`dataset.path 'data/nope.csv': no such file: tried ${join(dir, 'data', 'nope.csv')} (a relative path resolves against the spec file's folder)`);
  });
});
