import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
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
});
