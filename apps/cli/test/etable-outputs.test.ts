import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/index.js';

function captureOutput() {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  return { out: () => out, err: () => err };
}

afterEach(() => vi.restoreAllMocks());

describe('panel-lab run --outputs and panel-lab etable', () => {
  it('writes Parquet and Arrow data tables, then exports the models as LaTeX, Markdown and HTML', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'panel-lab-etable-'));
    const spec = {
      dataset: { source: 'example', name: 'mpdta' },
      analyses: [
        { id: 'fe', estimator: 'feols', formulas: ['lemp ~ treat | year'], vcov: { type: 'cluster', cluster: 'countyreal' } },
        { id: 'es', estimator: 'event_study', outcomes: ['lemp'], cohort: 'first.treat', window: [-2, 2] },
      ],
    };
    await writeFile(join(dir, 'spec.json'), JSON.stringify(spec));
    const out = join(dir, 'out');
    const io = captureOutput();
    expect(await main(['node', 'panel-lab', 'run', join(dir, 'spec.json'), '--out', out, '--workers', '1', '--outputs', 'json,csv,parquet,arrow'])).toBe(0);
    for (const ext of ['csv', 'parquet', 'arrow']) await access(join(out, 'data', `es.coefficients.${ext}`));

    expect(await main(['node', 'panel-lab', 'etable', out, '--format', 'latex', '--analyses', 'fe', '--labels', 'treat=Ever treated'])).toBe(0);
    expect(io.out()).toContain('\\begin{tabular}{lc}');
    expect(io.out()).toContain('Ever treated');
    expect(await main(['node', 'panel-lab', 'etable', out, '--format', 'html', '--out', join(dir, 't.html')])).toBe(0);
    const html = await readFile(join(dir, 't.html'), 'utf8');
    expect(html).toContain('<th>fe: lemp</th><th>es: lemp</th>');
    expect(html).toContain('Signif. codes: *** p &lt; 0.001, ** p &lt; 0.01, * p &lt; 0.05');
    expect(await main(['node', 'panel-lab', 'etable', out, '--star-levels', 'economics'])).toBe(0);
    expect(io.out()).toContain('*** p < 0.01, ** p < 0.05, * p < 0.1');

    expect(await main(['node', 'panel-lab', 'etable', out, '--format', 'rtf'])).toBe(1);
    expect(io.err()).toMatch(/--format: 'rtf' is not one of latex, md, html/);
    expect(await main(['node', 'panel-lab', 'etable', out, '--analyses', 'zz'])).toBe(1);
    expect(io.err()).toMatch(/no analysis 'zz' in this run; analyses are: fe, es/);
    const before = io.out().length;
    expect(await main(['node', 'panel-lab', 'schema', '--results'])).toBe(0);
    expect(JSON.parse(io.out().slice(before)).title).toBe('Panel Lab results files, schema version 1');
    expect(await main(['node', 'panel-lab', 'run', join(dir, 'spec.json'), '--outputs', 'json,xlsx'])).not.toBe(0);
    expect(io.err()).toMatch(/--outputs: unknown 'xlsx'; choose from json, csv, parquet, arrow/);
  }, 120_000);
});
