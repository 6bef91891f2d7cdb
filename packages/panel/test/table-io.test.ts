import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { CROSS_SECTION_TIME, CROSS_SECTION_UNIT, crossSectionFrame, parseCsvTable, readColumnTable, writeColumnTable } from '../src/index.js';

const dir = await mkdtemp(join(tmpdir(), 'table-io-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('column tables to Parquet and Arrow', () => {
  const columns = { term: ['D', 'x', null], estimate: [0.5, -1.25e-12, null], kept: [true, false, true] };
  for (const format of ['parquet', 'arrow'] as const) {
    it(`round-trips numbers, strings, booleans and nulls through ${format}`, async () => {
      const path = join(dir, `t.${format}`);
      await writeColumnTable(columns, path, format);
      expect(await readColumnTable(path, format)).toEqual(columns);
    });
  }
  it('refuses mixed and unequal columns, naming the column', async () => {
    await expect(writeColumnTable({ a: [1, 'x'] }, join(dir, 'm.arrow'), 'arrow')).rejects.toThrow(/column 'a' mixes number and string/);
    await expect(writeColumnTable({ a: [1], b: [1, 2] }, join(dir, 'u.arrow'), 'arrow')).rejects.toThrow(/column 'b' has 2 values, expected 1/);
  });
});

describe('cross-sections', () => {
  it('become one-period panels, with a row unit when none is named', () => {
    const frame = crossSectionFrame(parseCsvTable('y,x\n1,2\n3,5\n', {}) as Table);
    expect(frame.schema).toEqual({ unit: CROSS_SECTION_UNIT, time: CROSS_SECTION_TIME });
    expect(Array.from(frame.numeric(CROSS_SECTION_TIME))).toEqual([0, 0]);
    expect(frame.codes(CROSS_SECTION_UNIT).levels).toHaveLength(2);
  });
  it('keep a named unit column and refuse repeated units', () => {
    expect(crossSectionFrame(parseCsvTable('id,y\na,1\nb,2\n', {}), 'id').schema.unit).toBe('id');
    expect(() => crossSectionFrame(parseCsvTable('id,y\na,1\na,2\n', {}), 'id')).toThrow(/a/);
  });
});
