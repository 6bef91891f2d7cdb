import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../src/dataset.js';

const csv = 'city,year,y\na,2020,1\na,2021,2\nb,2020,3\nb,2021,4\n';

describe('dataset.path', () => {
  it("resolves a relative path against the given folder (the spec file's), not the working directory", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'panel-lab-path-'));
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'panel.csv'), csv);
    const loaded = await loadDataset({ source: 'file', path: 'data/panel.csv', unit: 'city', time: 'year' }, { baseDir: dir });
    expect(loaded.frame.nrows).toBe(4);
    expect(loaded.description).toBe('file data/panel.csv');
  });

  it('says which field and which path was tried when the file is missing, not a bare ENOENT', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'panel-lab-path-'));
    const error = await loadDataset({ source: 'file', path: 'data/missing.csv', unit: 'city', time: 'year' }, { baseDir: dir }).then(
      () => expect.unreachable(),
      (e: Error) => e,
    );
    expect(error.message).toBe(`dataset.path 'data/missing.csv': no such file: tried ${join(dir, 'data', 'missing.csv')} (a relative path resolves against the spec file's folder)`);
    expect(error.message).not.toMatch(/ENOENT/);
  });

  it('names the spec field (here dataset.unit) when the file cannot be read as a panel', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'panel-lab-path-'));
    await writeFile(join(dir, 'panel.csv'), csv);
    await expect(loadDataset({ source: 'file', path: 'panel.csv', unit: 'town', time: 'year' }, { baseDir: dir })).rejects.toThrow(
      "dataset.unit 'town' (file 'panel.csv'): unit column 'town' not found; columns are: city, year, y",
    );
  });
});
