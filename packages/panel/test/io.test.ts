import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bool, Field, Int32, Schema, Table, TimestampMillisecond, makeVector, tableToIPC, vectorFromArray } from 'apache-arrow';
import { PanelError, PanelFrame, formatFromPath, parseCsv, readPanel, readTable, writePanel } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'panel-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const opts = { unit: 'city', time: 'year' };

const csv = [
  'city,year,gdp,pop,region,flag',
  'Lyon,2000,1.25,0.1,south,1',
  'Lyon,2001,NA,-3.5e-7,south,0',
  '"Paris, FR",2000,123456789.123,1e300,,1',
  '"Paris, FR",2001,-0,5,north,NA',
  'Nice,2000,0.1,0.30000000000000004,"say ""hi""",0',
].join('\n');

function sameValues(a: PanelFrame, b: PanelFrame): void {
  expect(b.columnNames).toEqual(a.columnNames);
  for (const name of a.columnNames) {
    expect(b.isCategorical(name)).toBe(a.isCategorical(name));
    expect(b.values(name)).toEqual(a.values(name));
  }
}

describe('readPanel / writePanel', () => {
  beforeAll(async () => {
    await writePanel(parseCsv(csv, opts), join(dir, 'fixture.parquet'));
    await writePanel(parseCsv(csv, opts), join(dir, 'fixture.arrow'));
  });

  it('round-trips CSV -> Arrow -> Parquet -> Arrow -> CSV keeping every value, NA and category', async () => {
    const fromCsv = parseCsv(csv, opts);
    await writePanel(fromCsv, join(dir, 'a.arrow'));
    const fromArrow = await readPanel(join(dir, 'a.arrow'), opts);
    sameValues(fromCsv, fromArrow);
    await writePanel(fromArrow, join(dir, 'b.parquet'));
    const fromParquet = await readPanel(join(dir, 'b.parquet'), opts);
    sameValues(fromCsv, fromParquet);
    await writePanel(fromParquet, join(dir, 'c.feather'));
    const again = await readPanel(join(dir, 'c.feather'), opts);
    sameValues(fromCsv, again);
    await writePanel(again, join(dir, 'd.csv'));
    sameValues(fromCsv, await readPanel(join(dir, 'd.csv'), opts));
    expect(Object.is(again.numeric('gdp')[3], -0)).toBe(true);
  });

  it('gives zero-copy Float64Array views after reading Arrow IPC and Parquet', async () => {
    const f = await readPanel(join(dir, 'fixture.parquet'), opts);
    const stored = f.table.getChild('gdp')!.data[0]!.values as Float64Array;
    const view = f.numeric('gdp');
    expect(view.buffer).toBe(stored.buffer);
    expect(view.byteOffset).toBe(stored.byteOffset);
    expect(Number.isNaN(view[1]!)).toBe(true); // the NA mask lives in the buffer itself
    const arrow = await readPanel(join(dir, 'fixture.arrow'), opts);
    expect(arrow.numeric('pop').buffer).toBe((arrow.table.getChild('pop')!.data[0]!.values as Float64Array).buffer);
  });

  it('converts integer and boolean columns to Float64 and rejects unsupported types naming the column', async () => {
    const table = new Table({
      city: vectorFromArray(['a', 'b']),
      year: makeVector(Int32Array.from([2000, 2000])),
      treated: vectorFromArray([true, null], new Bool()),
    });
    writeFileSync(join(dir, 'ints.arrow'), tableToIPC(table, 'file'));
    const f = await readPanel(join(dir, 'ints.arrow'), opts);
    expect(Array.from(f.numeric('year'))).toEqual([2000, 2000]);
    expect(Array.from(f.numeric('treated'))).toEqual([1, NaN]);
    expect(f.isCategorical('city')).toBe(true);

    const stamps = new Table({
      city: vectorFromArray(['a']),
      year: vectorFromArray([2000]),
      when: vectorFromArray([new Date(0)], new TimestampMillisecond()),
    });
    writeFileSync(join(dir, 'ts.arrow'), tableToIPC(stamps, 'file'));
    await expect(readPanel(join(dir, 'ts.arrow'), opts)).rejects.toThrow(/column 'when' has unsupported type Timestamp/);
  });

  it('treats a listed categorical column from Parquet as categorical', async () => {
    const f = await readPanel(join(dir, 'fixture.parquet'), { ...opts, categorical: ['flag'] });
    expect(f.values('flag')).toEqual(['1', '0', '1', null, '0']);
  });

  it('errors on empty files, unknown extensions, corrupt Parquet, and an empty Arrow table', async () => {
    writeFileSync(join(dir, 'empty.parquet'), '');
    await expect(readPanel(join(dir, 'empty.parquet'), opts)).rejects.toThrow(/empty file/);
    writeFileSync(join(dir, 'junk.parquet'), 'not parquet');
    await expect(readPanel(join(dir, 'junk.parquet'), opts)).rejects.toThrow(/cannot read .* as Parquet/);
    expect(() => formatFromPath('x.xlsx')).toThrow(PanelError);
    const schema = new Schema([new Field('city', new Int32()), new Field('year', new Int32())]);
    writeFileSync(join(dir, 'none.arrow'), tableToIPC(new Table(schema), 'file'));
    await expect(readPanel(join(dir, 'none.arrow'), opts)).rejects.toThrow(/has no rows/);
  });

  it('validates panels read from binary formats (duplicate pairs)', async () => {
    const f = PanelFrame.fromColumns({ city: ['a', 'a'], year: [2000, 2000] }, opts);
    await writePanel(f, join(dir, 'dup.parquet'));
    await expect(readPanel(join(dir, 'dup.parquet'), opts)).rejects.toThrow(/duplicate \(city, year\)/);
  });

  it('reads a unit-level table without panel roles', async () => {
    writeFileSync(join(dir, 'cities.csv'), 'city,area\nLyon,47.9\nNice,71.9\n');
    const t = await readTable(join(dir, 'cities.csv'));
    expect(t.numRows).toBe(2);
    expect(t.getChild('area')!.get(1)).toBe(71.9);
  });
});
