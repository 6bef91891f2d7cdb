// The DuckDB file reader against the in-memory reader (parseCsv, papaparse): same kinds, values,
// categorical codes and levels, NA handling, and the same error messages on the same input.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { goldenDataPath } from '@panel-lab/testing';
import { CategoricalSink, NumericSink } from '../src/column-sinks.js';
import { readCsvFile } from '../src/csv-file.js';
import { streamChunksChecked, withConnection } from '../src/duckdb-source.js';
import { PanelError, PanelFrame, parseCsv, parseCsvTable, readPanel, readTable, writePanel, type ReadOptions } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'panel-csv-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const opts = { unit: 'city', time: 'year' };
let files = 0;

function fileWith(text: string): string {
  const path = join(dir, `f${++files}.csv`);
  writeFileSync(path, text);
  return path;
}

function sameFrame(a: PanelFrame, b: PanelFrame): void {
  expect(b.columnNames).toEqual(a.columnNames);
  expect(b.nrows).toBe(a.nrows);
  for (const name of a.columnNames) {
    expect(b.isCategorical(name), name).toBe(a.isCategorical(name));
    if (a.isCategorical(name)) expect(b.codes(name), name).toEqual(a.codes(name));
    else expect(Array.from(b.numeric(name)), name).toEqual(Array.from(a.numeric(name)));
  }
}

async function outcome(read: () => Promise<PanelFrame> | PanelFrame): Promise<PanelFrame | string> {
  try {
    return await read();
  } catch (error) {
    expect(error).toBeInstanceOf(PanelError);
    return (error as Error).message;
  }
}

/** Reads `text` both ways and expects the same frame, or the same error message. */
async function sameBothWays(text: string, options: ReadOptions = opts): Promise<PanelFrame | string> {
  const fromText = await outcome(() => parseCsv(text, options));
  const fromFile = await outcome(() => readPanel(fileWith(text), options));
  if (typeof fromText === 'string') expect(fromFile).toBe(fromText);
  else if (typeof fromFile === 'string') expect.fail(`file reader failed where text reader did not: ${fromFile}`);
  else sameFrame(fromText, fromFile);
  return fromFile;
}

describe('readPanel (DuckDB) matches parseCsv (papaparse)', () => {
  it('types, categorical codes in first-appearance order, NA tokens, quotes, BOM and CRLF', async () => {
    await sameBothWays('city,year,gdp,region\nA,2000,1.5,north\nA,2001,NA,north\nB,2000,.,south\nB,2001,2e3,\n');
    await sameBothWays('city,year,code,x\n1,2000,10,-99\n2,2000,20,3\n', { ...opts, categorical: ['code'], naValues: ['-99'] });
    await sameBothWays('\uFEFFcity,year,x\r\nA,2000,1\r\nA,2001,2\r\n');
    await sameBothWays('city,year,name,x\n1,2000,"Paris, FR",1\n2,2000,,\n3,2000,"NA",4\n');
    await sameBothWays(' city , year ,x\nb,2000,-0\na,2000,1e300\nc,2000,0.30000000000000004\n');
    await sameBothWays('city,year,empty,mixed\nA,2000,,x1\nA,2001,,2\nB,2000,,x3\n');
    await sameBothWays('city;year;x\nA;2000;1,5\nB;2000;2\n'); // ';' detected; '1,5' is text
  });

  it('reads the io and mpdta fixtures identically', async () => {
    const csv = [
      'city,year,gdp,pop,region,flag',
      'Lyon,2000,1.25,0.1,south,1',
      'Lyon,2001,NA,-3.5e-7,south,0',
      '"Paris, FR",2000,123456789.123,1e300,,1',
      '"Paris, FR",2001,-0,5,north,NA',
      'Nice,2000,0.1,0.30000000000000004,"say ""hi""",0',
    ].join('\n');
    const frame = (await sameBothWays(csv)) as PanelFrame;
    expect(Object.is(frame.numeric('gdp')[3], -0)).toBe(true);
    await sameBothWays(csv, { ...opts, categorical: ['flag'] });
    const mpdta = readFileSync(goldenDataPath('mpdta.csv'), 'utf8');
    await sameBothWays(mpdta, { unit: 'countyreal', time: 'year' });
  });

  it('gives the same messages for empty files, header-only files, ragged rows and bad columns', async () => {
    expect(await outcome(() => readPanel(fileWith(''), opts))).toMatch(/^empty file: '.*f\d+\.csv'$/);
    expect(await sameBothWays('  \n')).toMatch(/empty file: no header and no rows/);
    expect(await sameBothWays('city,year\n')).toBe('file has a header (city, year) but no data rows');
    expect(await sameBothWays('city,year,x\nA,2000,1\nB,2000\n')).toBe('malformed CSV: row 2 has 2 fields, expected 3');
    expect(await sameBothWays('city,year,x\nA,2000,1\nB,2000,2,3\n')).toBe('malformed CSV: row 2 has 4 fields, expected 3');
    expect(await sameBothWays('city,year\nA,y2000\nA,y2001\n')).toMatch(/column 'year' is numeric but has 2 non-numeric/);
    expect(await sameBothWays('city,year\nA,2000\n', { ...opts, categorical: ['year'] })).toMatch(/must be numeric but holds text/);
    expect(await sameBothWays('city,year\nA,2000\n,2001\n')).toMatch(/unit column 'city' is missing at row\(s\) 2/);
    expect(await sameBothWays('city,year\nA,2000\nA,NA\n')).toMatch(/time column 'year' is missing/);
    expect(await sameBothWays('city,year,x\nA,2000,1\nB,2000,2\nA,2000,3\n')).toMatch(/1 duplicate \(city, year\) pair/);
    expect(await sameBothWays('town,year\nA,2000\n')).toMatch(/unit column 'city' not found/);
    expect(await sameBothWays('city,year\nA,2000\n', { ...opts, categorical: ['nope'] })).toMatch(/categorical column 'nope' not in header/);
    expect(await sameBothWays('city,year,city\nA,2000,1\n')).toBe("duplicate column name 'city' in header");
    expect(await sameBothWays('city,year,\nA,2000,1\n')).toBe('header field 3 is empty: every column needs a name');
  });

  it('names the stray tokens of a numeric column like the text reader, rows and count included', async () => {
    const rows = ['city,year,gdp', ...Array.from({ length: 20 }, (_, i) => `c${i},2000,${i === 3 || i === 7 ? 'n/a' : i}`)];
    const message = await sameBothWays(rows.join('\n'));
    expect(message).toContain("4 ('n/a'), 8 ('n/a')");
    const late = ['city,year,x'];
    for (let i = 0; i < 300_000; i++) late.push(`${i},2000,${i < 299_999 ? i : 'oops'}`);
    const error = await readPanel(fileWith(late.join('\n')), opts).catch((e: unknown) => e as PanelError);
    expect((error as PanelError).message).toMatch(/column 'x' is numeric but has 1 non-numeric value\(s\), first at row\(s\) 300000 \('oops'\)/);
    expect((error as PanelError).rows).toEqual([299_999]);
  });

  it('reads a plain table the same way, duplicate headers included', async () => {
    const text = 'city,area,kind\nLyon,47.9,big\nNice,71.9,\n';
    const fromFile = await readTable(fileWith(text));
    const fromText = parseCsvTable(text);
    expect(fromFile.toArray().map((r) => r.toJSON())).toEqual(fromText.toArray().map((r) => r.toJSON()));
    await expect(readTable(fileWith('a,b,a\n1,2,3\n'))).rejects.toThrow(/duplicate column name 'a'/);
  });

  it('passes non-finite numbers on to the frame checks instead of dropping them', async () => {
    // DuckDB reads 'Inf' and '1e400' as infinities, as parseNumber does; whatever the shared
    // validate/normalize path decides about them then applies to both readers.
    const text = 'city,year,x\nA,2000,Inf\nB,2000,1e400\nC,2000,-inf\n';
    await sameBothWays(text);
  });

  it('reports infinite values counted while streaming, naming the column and rows, in small blocks too', async () => {
    const lines = ['city,year,x,y'];
    for (let i = 0; i < 3_000; i++) lines.push(`c${i},2000,${i % 700 === 5 ? 'Inf' : i},${i % 9 ? i / 3 : 'NA'}`);
    const path = fileWith(lines.join('\n'));
    const message = /column 'x' has 5 infinite value\(s\).*first at row\(s\) 6, 706, 1406, 2106, 2806/;
    await expect(readPanel(path, opts)).rejects.toThrow(message);
    const frame = await readPanel(path, { ...opts, nonFinite: 'missing' });
    const x = frame.numeric('x');
    expect([x[5], x[6], x[705]]).toEqual([NaN, 6, NaN]);
    expect(frame.table.getChild('y')!.nullCount).toBe(334); // counted by the sink, no second pass
    const small = await readCsvFile(path, {}, { blockRows: 64 });
    expect(small.getChild('x')!.nullCount).toBe(0);
    expect(small.getChild('y')!.nullCount).toBe(334);
  });
});

describe('completeness of a streamed read', () => {
  it('reads files whose line count is not their row count (quoted line breaks, blank last lines) in full', async () => {
    const quoted = 'city,year,note\nA,2000,"two\nlines"\nB,2001,plain\nC,2002,"three\n\nlines"\n';
    await sameBothWays(quoted);
    const blankTail = 'city,year,x\nA,2000,1\nB,2001,2\n\n\n';
    expect((await readPanel(fileWith(blankTail), opts)).nrows).toBe(2);
  });

  it('checks a stream against the source row count and, when they differ, against a second unstreamed run', async () => {
    const path = fileWith('a,b\n1,2\n3,4\n5,6\n');
    const sql = `SELECT * FROM read_csv('${path}', header=true)`;
    const streamed = (sourceRows: number | undefined) =>
      withConnection((connection) => streamChunksChecked(connection, sql, Promise.resolve(sourceRows), () => {}));
    expect(await streamed(3)).toBe(3);
    expect(await streamed(undefined)).toBe(3); // unknown: the second run confirms 3
    expect(await streamed(7)).toBe(3); // a wrong count is not trusted either
    const failing = fileWith('a,b\n1,2\n3,x\n');
    const bad = `SELECT * FROM read_csv('${failing}', header=true, columns={'a': 'DOUBLE', 'b': 'DOUBLE'}, auto_detect=false)`;
    await expect(withConnection((connection) => streamChunksChecked(connection, bad, Promise.resolve(2), () => {}))).rejects.toThrow(/Could not convert/);
  });
});

describe('file names', () => {
  it('reads a file whose name holds glob characters as that one file, CSV and Parquet', async () => {
    writeFileSync(join(dir, 'g1.csv'), 'city,year,x\nB,2001,2\n');
    const path = join(dir, 'g*[1].csv');
    writeFileSync(path, 'city,year,x\nA,2000,1\n');
    const frame = await readPanel(path, opts);
    expect(frame.values('city')).toEqual(['A']);
    const parquet = join(dir, 'p?{x}.parquet');
    await writePanel(frame, parquet);
    expect((await readPanel(parquet, opts)).values('city')).toEqual(['A']);
  });
});

describe('chunked conversion', () => {
  it('streams a file through many small blocks into the same columns as one pass', async () => {
    const lines = ['city,year,x,label'];
    const n = 25_003;
    for (let i = 0; i < n; i++) lines.push(`u${i % 997},${2000 + Math.floor(i / 997)},${i % 13 === 0 ? 'NA' : (i * 0.37).toString()},${i % 7 === 0 ? '' : `L${i % 5}`}`);
    const text = lines.join('\n');
    const path = fileWith(text);
    const small = await readCsvFile(path, { numeric: ['year'] }, { blockRows: 1_000 });
    const reference = parseCsvTable(text, { numeric: ['year'] });
    expect(small.numRows).toBe(n);
    for (const field of reference.schema.fields) {
      const a = reference.getChild(field.name)!;
      const b = small.getChild(field.name)!;
      expect(b.data.length, field.name).toBe(1); // one buffer per column after joining the blocks
      expect(Array.from(b.data[0]!.values as ArrayLike<number>), field.name).toEqual(Array.from(a.data[0]!.values as ArrayLike<number>));
      expect(b.toArray(), field.name).toEqual(a.toArray());
    }
  });

  it('joins blocks exactly, with NaN at null rows and codes across block edges', () => {
    const numbers = new NumericSink(3);
    numbers.append(Float64Array.from([1, 2, 3, 4, 5]), Uint8Array.from([0b11101]));
    numbers.append(Float64Array.from([6, 7]), null);
    expect(Array.from(numbers.finish())).toEqual([1, NaN, 3, 4, 5, 6, 7]);
    const codes = new CategoricalSink(2);
    const values = ['b', null, 'a', 'b', 'c'];
    codes.append(values.length, (i) => values[i]!);
    expect(Array.from(codes.finish())).toEqual([0, -1, 1, 0, 2]);
    expect(codes.levels).toEqual(['b', 'a', 'c']);
    expect(() => new NumericSink(0)).toThrow(/blockRows/);
  });

  it('counts missing and infinite values while copying, with the first infinite rows across blocks and chunks', () => {
    const sink = new NumericSink(3);
    sink.append(Float64Array.from([1, Infinity, 3, 0, NaN]), Uint8Array.from([0b10111]));
    sink.append(Float64Array.from([-Infinity, 7, Infinity, 1e308 * 10]), null);
    expect(sink.nulls).toBe(2); // the null row 3 and the NaN at row 4
    expect(sink.infinities).toBe(4);
    expect(sink.infiniteRows).toEqual([1, 5, 7, 8]);
    expect(Array.from(sink.finish())).toEqual([1, Infinity, 3, NaN, NaN, -Infinity, 7, Infinity, Infinity]);
    const many = new NumericSink(4);
    many.append(new Float64Array(10).fill(Infinity), null);
    expect([many.infinities, many.infiniteRows]).toEqual([10, [0, 1, 2, 3, 4]]);
  });
});

describe('Parquet through DuckDB', () => {
  it('reads back what writePanel wrote, in small blocks too', async () => {
    const lines = ['city,year,x,label,flag'];
    for (let i = 0; i < 5_000; i++) lines.push(`u${i % 50},${2000 + Math.floor(i / 50)},${i % 11 === 0 ? '' : i / 7},${i % 3 ? 'p' : 'q'},${i % 2}`);
    const frame = parseCsv(lines.join('\n'), opts);
    const path = join(dir, 'p.parquet');
    await writePanel(frame, path);
    sameFrame(frame, await readPanel(path, opts));
    const { readParquetFile } = await import('../src/parquet-file.js');
    const table = await readParquetFile(path, ['flag'], 700);
    expect(table.getChild('flag')!.toArray().slice(0, 4)).toEqual(['0', '1', '0', '1']);
    expect(Array.from(table.getChild('x')!.data[0]!.values as Float64Array)).toEqual(Array.from(frame.numeric('x')));
  });
});
