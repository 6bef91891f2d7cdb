import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { generateChinaPanel, TIME_COLUMN, UNIT_COLUMN } from '@panel-lab/datasets';
import { writePanel } from '@panel-lab/panel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDir, DatasetService, DEFAULT_LIMITS, DuckDbMetaStore, LimitError, datasetPath, type DatasetRecord } from '../src/index.js';

// The tenant's dataset-bytes quota is charged what a dataset keeps on disk: the uploaded file and
// the Arrow copy that jobs read (pool threads never load the CSV/Parquet reader), and both are
// released by a delete.

describe('dataset-bytes quota (file + Arrow copy)', () => {
  let root: string;
  let store: DuckDbMetaStore;
  let dir: DataDir;
  let service: DatasetService;
  let quota = Number.MAX_SAFE_INTEGER;
  let csv: Buffer;
  const tenant = 'acme';
  let options: { name: string; format: 'csv'; unit: string; time: string; categorical: string[] };
  const upload = () => service.upload(tenant, options, Readable.from([csv]));
  const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as Error);
  const filesOf = async () => (await readdir(join(root, 'tenants', tenant, 'datasets')).catch(() => [] as string[])).sort();

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'panel-lab-quota-'));
    dir = new DataDir(root);
    store = await DuckDbMetaStore.open(dir.metaFile);
    service = new DatasetService(store, dir, () => ({ ...DEFAULT_LIMITS, datasetBytes: quota }));
    await service.init();
    const path = join(root, 'panel.csv');
    const frame = generateChinaPanel({ seed: 3, cities: 12 }).frame;
    options = { name: 'panel', format: 'csv', unit: UNIT_COLUMN, time: TIME_COLUMN, categorical: frame.columnNames.filter((n) => frame.isCategorical(n)) };
    await writePanel(frame, path, { format: 'csv' });
    csv = await readFile(path);
  });
  afterAll(async () => {
    await store?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('charges the file and its copy, refuses an upload whose copy passes the quota naming both sizes, and a delete frees both', async () => {
    const first: DatasetRecord = await upload();
    const file = csv.length;
    const copy = first.copyBytes!;
    expect(first.bytes).toBe(file);
    expect(copy).toBeGreaterThan(0);
    expect(await service.usage(tenant)).toEqual({ datasets: 1, bytes: file + copy });

    // room for a second file, not for its copy
    quota = 2 * file + copy;
    const refused = await refusal(upload());
    expect(refused).toBeInstanceOf(LimitError);
    expect(refused!.message).toBe(
      `tenant 'acme' stores ${file + copy} bytes of datasets (files and their Arrow copies; limit ${quota} bytes); ` +
        `this upload is ${file} bytes and its Arrow copy (what jobs read) ${copy} bytes, ${file + copy} in all, more than the ${file} bytes left; delete a dataset first`,
    );
    // nothing of the refused upload stays: one record, its file and its copy
    expect((await service.list(tenant)).map((d) => d.id)).toEqual([first.id]);
    expect(await filesOf()).toEqual([`${first.id}.csv`, `${first.id}.frame.arrow`].sort());

    await service.delete(tenant, first.id);
    expect(existsSync(datasetPath(root, first.file))).toBe(false);
    expect(await filesOf()).toEqual([]);
    expect(await service.usage(tenant)).toEqual({ datasets: 0, bytes: 0 });
    const second = await upload();
    expect(await service.usage(tenant)).toEqual({ datasets: 1, bytes: file + copy });

    // a record written before copies were recorded is charged the copy found on disk
    const { copyBytes: _dropped, ...legacy } = second;
    await store.putDataset(legacy);
    expect((await service.usage(tenant)).bytes).toBe(file + copy);
    await store.putDataset(second);
  });

  it('refuses at once when nothing is left, and stops reading an upload whose file alone passes the quota', async () => {
    const used = (await service.usage(tenant)).bytes;
    quota = used;
    const full = await refusal(upload());
    expect(full).toBeInstanceOf(LimitError);
    expect(full!.message).toMatch(new RegExp(`stores ${used} bytes of datasets .*limit ${used} bytes\\); no byte is left; delete a dataset first`));
    quota = used + 100;
    const cut = await refusal(upload());
    expect(cut).toBeInstanceOf(LimitError);
    expect(cut!.message).toMatch(/the upload passed \d+ bytes \(its Arrow copy would come on top\), more than the 100 bytes left/);
    expect((await service.list(tenant)).length).toBe(1);
    expect((await readdir(dir.tmp)).length).toBe(0);
  });

  it('charges a synthetic panel (its own copy) and refuses one that does not fit before generating it', async () => {
    quota = (await service.usage(tenant)).bytes + 1000;
    const refused = await refusal(service.registerSynthetic(tenant, { name: 'synthetic', seed: 1, cities: 50, years: 9 }));
    expect(refused).toBeInstanceOf(LimitError);
    expect(refused!.message).toMatch(/a synthetic panel of 450 rows takes about \d+ bytes \(an Arrow file, its own copy\), more than the 1000 bytes left/);
    quota = Number.MAX_SAFE_INTEGER;
    const before = (await service.usage(tenant)).bytes;
    const synthetic = await service.registerSynthetic(tenant, { name: 'synthetic', seed: 1, cities: 5, years: 3 });
    expect(synthetic.copyBytes).toBeUndefined();
    expect((await service.usage(tenant)).bytes).toBe(before + synthetic.bytes);
  });
});
