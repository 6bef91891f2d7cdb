// The all-numeric CSV fast path (csv-fast.ts, csv-fast.wat): every token converted exactly as
// Number() does, and whole files read bit for bit as the general DuckDB reader reads them, or left
// to it (same result, same message) when they do not qualify.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { copyBits, fastCsvLayout, fastTokenParser, readNumericCsvFast, type FastCsvTuning } from '../src/csv-fast.js';
import { readCsvFile } from '../src/csv-file.js';
import { DEFAULT_NA_VALUES, PanelError, readPanel, type CsvTableOptions } from '../src/index.js';

/** A seeded 64-bit generator (xorshift128+ over BigInt-free halves): tokens are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0 || 1;
  let b = 0x9e3779b9;
  return () => {
    let t = a ^ (a << 11);
    a = b;
    b = b ^ (b >>> 19) ^ (t ^ (t >>> 8));
    t = b >>> 0;
    return t / 2 ** 32;
  };
}

const bits = new Float64Array(1);
const bitsU = new BigUint64Array(bits.buffer);
function doubleFromBits(hi: number, lo: number): number {
  bitsU[0] = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  return bits[0]!;
}
function sameBits(a: number, b: number): boolean {
  return Object.is(a, b);
}

describe('fast-path token conversion equals Number()', () => {
  const parse = fastTokenParser();
  function check(tokens: Iterable<string>): number {
    let n = 0;
    for (const t of tokens) {
      const v = parse(t);
      if (v === null || !sameBits(v, Number(t))) expect.fail(`token '${t}': fast ${v}, Number ${Number(t)}`);
      n++;
    }
    return n;
  }

  it('shortest and 17-digit forms of random doubles, subnormals included, with signs and exponent styles', () => {
    const r = rng(20261205);
    function* tokens(): Generator<string> {
      for (let i = 0; i < 150_000; i++) {
        const hi = Math.floor(r() * 2 ** 32);
        const lo = Math.floor(r() * 2 ** 32);
        let x = doubleFromBits(hi, lo);
        if (!Number.isFinite(x)) x = doubleFromBits(hi & 0x800fffff, lo); // subnormal instead
        yield String(x);
        yield x.toPrecision(17);
        yield x.toExponential(Math.floor(r() * 20));
        yield x.toExponential(16).replace('e', 'E').replace('E+', r() < 0.5 ? 'E' : 'E+');
        const y = (r() - 0.5) * 10 ** Math.floor(r() * 20 - 10);
        yield String(y);
        yield y.toFixed(Math.floor(r() * 20));
      }
    }
    expect(check(tokens())).toBe(900_000);
  });

  it('random digit strings: up to 30 digits, any point position, exponents -400..400, leading zeros, + signs', () => {
    const r = rng(7);
    function* tokens(): Generator<string> {
      for (let i = 0; i < 300_000; i++) {
        const nd = 1 + Math.floor(r() * (r() < 0.8 ? 19 : 30));
        let digits = '';
        for (let k = 0; k < nd; k++) digits += String(Math.floor(r() * 10));
        if (r() < 0.1) digits = '000'.slice(0, 1 + Math.floor(r() * 3)) + digits;
        const point = Math.floor(r() * (nd + 2));
        let body = point === 0 ? digits : point > nd ? digits : `${digits.slice(0, point)}.${digits.slice(point)}`;
        if (point === 0 && r() < 0.5) body = `.${digits}`;
        if (point === nd && r() < 0.5) body = `${digits}.`;
        const sign = r() < 0.3 ? '-' : r() < 0.1 ? '+' : '';
        const exp = r() < 0.6 ? `${r() < 0.5 ? 'e' : 'E'}${r() < 0.5 ? '-' : r() < 0.3 ? '+' : ''}${Math.floor(r() * 400)}` : '';
        yield sign + body + exp;
      }
    }
    expect(check(tokens())).toBe(300_000);
  });

  it('halfway cases between neighbouring doubles (round to even), exact as integers and as scaled decimals', () => {
    const r = rng(99);
    function* tokens(): Generator<string> {
      for (let i = 0; i < 60_000; i++) {
        const m = (1n << 52n) + BigInt(Math.floor(r() * 2 ** 30)) * (1n << 22n) + BigInt(Math.floor(r() * 2 ** 22));
        const s = BigInt(Math.floor(r() * 11));
        const half = (2n * m + 1n) << s; // halfway between m 2^(s+1) and (m + 1) 2^(s+1)
        yield half.toString();
        yield `${half}e${-Math.floor(r() * 5)}`.replace('e0', '');
        const frac = Number(s % 4n) + 1; // (2m + 1) / 2^k: exact decimals with k digits after the point
        const scaled = (2n * m + 1n) * 5n ** BigInt(frac);
        const str = scaled.toString();
        yield `${str.slice(0, str.length - frac)}.${str.slice(str.length - frac)}`;
      }
    }
    expect(check(tokens())).toBe(180_000);
  });

  it('edges: zeros, limits, overflow to +-Infinity, underflow to zero, long digit strings', () => {
    const edges = [
      '0', '-0', '+0', '0.0', '-0.000', '00000', '.0', '0.', '0e0', '0e999999', '-0e-999999',
      '1', '5.', '.5', '+.5', '-.5', '1.e5', '1E+05', '1e-5', '00012', '007.5000', '.12345678', '-.47418203E307', '.1234567890123456789', '0.00000000123456789',
      '9007199254740992', '9007199254740993', '9007199254740995', '18446744073709551615', '18446744073709551616',
      '9999999999999999999', '10000000000000000000', '1.7976931348623157e308', '1.7976931348623158e308', '1.7976931348623159e308',
      '2.2250738585072014e-308', '2.2250738585072011e-308', '4.9406564584124654e-324', '2.4703282292062327e-324',
      '2.4703282292062328e-324', '5e-324', '1e-400', '-1e-400', '1e400', '-1e400', '1e309', '1e308', '123e99999',
      '0.1000000000000000055511151231257827021181583404541015625', '3.141592653589793238462643383279502884197',
      `0.${'0'.repeat(400)}1e400`, `0.${'0'.repeat(200000)}1e200005`, `1e${'0'.repeat(300)}5`, '1e999999', '1e-999999', '1e99999999999', `${'1'.repeat(400)}e-400`, `${'9'.repeat(25)}`, '1e22', '1e23', '8.98846567431158e307',
    ];
    expect(check(edges)).toBe(edges.length);
  });

  it('refuses what is not a plain decimal number (the file then goes to DuckDB)', () => {
    for (const t of ['', '.', '-', '+', 'e5', '.e5', '1e', '1e+', '1e-', '1E', ' 1', '1 ', 'Inf', 'inf', '-Infinity', 'nan', 'NaN', 'NA',
      '0x10', '0b1', '1_000', '1..2', '1.2.3', '--1', '+-1', '1e5.5', '1e5e5', '1,5', '"1"', '1d5', '\u0661', '1\t']) {
      expect(parse(t), JSON.stringify(t)).toBeNull();
    }
  });
});

const dir = mkdtempSync(join(tmpdir(), 'panel-csv-fast-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function fileWith(text: string): string {
  const path = join(dir, `f${++files}.csv`);
  writeFileSync(path, text);
  return path;
}

/** The general reader (DuckDB), the fast path forced off. */
async function general<T>(read: () => Promise<T>): Promise<T> {
  process.env['PANEL_LAB_CSV_FAST'] = '0';
  try {
    return await read();
  } finally {
    delete process.env['PANEL_LAB_CSV_FAST'];
  }
}

async function outcome<T>(read: () => Promise<T>): Promise<T | string> {
  try {
    return await read();
  } catch (error) {
    expect(error).toBeInstanceOf(PanelError);
    return (error as Error).message;
  }
}

/** Bit-for-bit equal columns; the first difference named (toEqual on long byte arrays takes seconds). */
function expectSameBits(got: Float64Array, expected: Float64Array, name: string): void {
  expect(got.length, name).toBe(expected.length);
  const a = new BigUint64Array(Float64Array.from(got).buffer);
  const b = new BigUint64Array(Float64Array.from(expected).buffer);
  const at = a.findIndex((bits, i) => bits !== b[i]);
  if (at !== -1) expect.fail(`${name}: row ${at} is ${got[at]}, expected ${expected[at]}`);
}

function sameTable(fast: Table, slow: Table): void {
  expect(fast.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(slow.schema.fields.map((f) => `${f.name}:${f.type}`));
  expect(fast.numRows).toBe(slow.numRows);
  for (const f of slow.schema.fields) {
    const a = fast.getChild(f.name)!;
    const b = slow.getChild(f.name)!;
    expect(a.nullCount, f.name).toBe(b.nullCount);
    for (let i = 0; i < slow.numRows; i++) if (a.isValid(i) !== b.isValid(i)) expect.fail(`${f.name}: validity of row ${i} differs`);
    const av = a.toArray() as Float64Array;
    const bv = b.toArray() as Float64Array;
    expectSameBits(av, bv, f.name);
  }
}

const SPLIT: FastCsvTuning = { threads: 2, minThreadedBytes: 0, blockBytes: 256 };

/** Asserts the fast path takes the file, and that readCsvFile gives what the general reader gives, bit for bit. */
async function viaFastPath(text: string, naValues: readonly string[] = DEFAULT_NA_VALUES, tunings: FastCsvTuning[] = [SPLIT]): Promise<Table> {
  const path = fileWith(text);
  const slow = await general(() => readCsvFile(path, { naValues }));
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]!;
  const delimiter = [',', '\t', ';', '|'].find((d) => header.includes(d)) ?? ',';
  const layout = fastCsvLayout(path, statSync(path).size, delimiter, header.split(delimiter).length, naValues);
  expect(layout).not.toBeNull();
  for (const tuning of tunings) {
    const columns = await readNumericCsvFast(path, layout!, tuning);
    if (columns === null) expect.fail(`fast path refused the file with ${JSON.stringify(tuning)}`);
    slow.schema.fields.forEach((f, c) => {
      const expected = slow.getChild(f.name)!.toArray() as Float64Array;
      const got = columns[c]!.values;
      expect(columns[c]!.nulls, f.name).toBe(slow.getChild(f.name)!.nullCount);
      const validity = columns[c]!.validity;
      if (columns[c]!.nulls > 0) {
        // the validity bits the threads wrote: set exactly where a value is not NaN
        if (!validity) expect.fail(`${f.name}: NA but no validity bits`);
        got.forEach((v, i) => {
          if (((validity[i >> 3]! >> (i & 7)) & 1) !== (v === v ? 1 : 0)) expect.fail(`${f.name}: validity bit of row ${i} with ${JSON.stringify(tuning)}`);
        });
      }
      expectSameBits(got, expected, f.name);
    });
  }
  sameTable(await readCsvFile(path, { naValues }), slow); // the hook in readCsvFile, default tuning
  return slow;
}

/** Asserts the fast path refuses the file, and that readCsvFile's outcome (table or message) is the general reader's. */
async function leftToDuckdb(text: string, naValues: readonly string[] = DEFAULT_NA_VALUES, options: CsvTableOptions = {}): Promise<string | Table> {
  const path = fileWith(text);
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/, 1)[0]!;
  const columns = header.split(',').length;
  const layout = fastCsvLayout(path, statSync(path).size, ',', columns, naValues);
  if (layout) expect(await readNumericCsvFast(path, layout, SPLIT)).toBeNull();
  const slow = await general(() => outcome(() => readCsvFile(path, { naValues, ...options })));
  const fast = await outcome(() => readCsvFile(path, { naValues, ...options }, { fast: SPLIT }));
  if (typeof slow === 'string') expect(fast).toBe(slow);
  else if (typeof fast === 'string') expect.fail(`fast path failed where the general reader did not: ${fast}`);
  else sameTable(fast, slow);
  return slow;
}

function randomFile(rows: number, seed: number, eol = '\n'): string {
  const r = rng(seed);
  const lines = ['unit,year,y,x1,x2'];
  for (let i = 0; i < rows; i++) {
    const cells = [String(1000 + Math.floor(i / 7)), String(2000 + (i % 7))];
    for (let k = 0; k < 3; k++) {
      const u = r();
      cells.push(u < 0.05 ? '' : u < 0.08 ? 'NA' : u < 0.1 ? '.' : u < 0.5 ? String((r() - 0.5) * 10 ** Math.floor(r() * 12 - 6)) : ((r() - 0.5) * 100).toPrecision(1 + Math.floor(r() * 17)));
    }
    lines.push(cells.join(','));
  }
  return lines.join(eol) + eol;
}

describe('readCsvFile fast path equals the general reader bit for bit', () => {
  it('random numeric files with NA tokens, split over 1 to 5 ranges and blocks of many sizes', async () => {
    const text = randomFile(2000, 1);
    await viaFastPath(text, DEFAULT_NA_VALUES, [
      { threads: 1, minThreadedBytes: 0, blockBytes: 128 },
      { threads: 2, minThreadedBytes: 0, blockBytes: 4096 },
      { threads: 5, minThreadedBytes: 0, blockBytes: 200 },
    ]);
  });

  it('with workers started during the sniff (prestartFastCsvWorkers): the same table', async () => {
    const text = randomFile(800, 11);
    const path = fileWith(text);
    const slow = await general(() => readCsvFile(path));
    sameTable(await readCsvFile(path, {}, { fast: { threads: 3, minThreadedBytes: 0, blockBytes: 256 } }), slow);
  });

  it('reads running at once each take their own kept workers: the same tables', async () => {
    const paths = [21, 22, 23].map((seed) => fileWith(randomFile(600, seed)));
    const slow = await general(() => Promise.all(paths.map((path) => readCsvFile(path))));
    const fast = await Promise.all(paths.map((path) => readCsvFile(path, {}, { fast: { threads: 3, minThreadedBytes: 0, blockBytes: 512 } })));
    fast.forEach((table, i) => sameTable(table, slow[i]!));
  });

  it('CRLF, a byte-order mark, no final line break, other delimiters and NA lists', async () => {
    await viaFastPath(randomFile(500, 2, '\r\n'));
    await viaFastPath(`\uFEFF${randomFile(500, 3)}`);
    await viaFastPath(`\uFEFF${randomFile(500, 4, '\r\n')}`);
    await viaFastPath(randomFile(500, 5).trimEnd());
    await viaFastPath(randomFile(500, 6, '\r\n').trimEnd());
    await viaFastPath(randomFile(300, 7).replace(/,/g, ';'));
    await viaFastPath(randomFile(300, 8).replace(/,/g, '\t'));
    await viaFastPath('a,b\n1,-999x\n-999x,2\nmissing,3\n', ['-999x', 'missing']);
    await viaFastPath('a,b\n1,2\n,3\n4,\n', ['']);
    await viaFastPath('a\n1\n2.5\n-0\n');
    await viaFastPath('a,b\n+1,.5\n5.,1.e5\n-0,007\n1E+05,0.1000000000000000055511151231257827021181583404541015625\n');
  });

  it('lines much shorter after the first 64 KiB than in it: the columns are read again with room for any line count', async () => {
    // a 64 KiB head of 1000-byte lines predicts ~100 rows per 100 KB; each half then holds thousands
    const long = Array.from({ length: 70 }, (_, i) => `${i},${(i * 0.1234567891234567).toPrecision(17)}${'0'.repeat(975)}`);
    const short = Array.from({ length: 50_000 }, (_, i) => `${i % 10},${i % 7 === 0 ? 'NA' : i % 3}`);
    await viaFastPath(`a,b\n${[...long, ...short].join('\n')}\n`, DEFAULT_NA_VALUES, [
      { threads: 2, minThreadedBytes: 0, blockBytes: 4096 },
      { threads: 1, minThreadedBytes: 0, blockBytes: 4096 },
      { threads: 3, minThreadedBytes: 0, blockBytes: 2048 },
    ]);
  });

  it('a header read without DuckDB\'s sniff gives the names DuckDB gives (trimmed, BOM dropped), or leaves the file to it', async () => {
    await viaFastPath(' a , b\t,c \n1,2,3\n4,5,6\n');
    await viaFastPath('\uFEFFa;b\n1;2\n');
    for (const text of ['a,a\n1,2\n', 'a,,c\n1,2,3\n', 'a,"b"\n1,2\n', 'a,b,\n1,2,3\n']) {
      const path = fileWith(text);
      const slow = await general(() => outcome(() => readCsvFile(path)));
      const fast = await outcome(() => readCsvFile(path, {}, { fast: SPLIT }));
      if (typeof slow === 'string') expect(fast).toBe(slow);
      else if (typeof fast === 'string') expect.fail(`fast path failed where the general reader did not: ${fast}`);
      else sameTable(fast, slow);
    }
  });

  it('ranges ending exactly at a line break, and ranges of one line', async () => {
    // 10 lines of 10 bytes after an 8-byte header: range cuts fall on line starts and inside lines
    const text = `aaa,bbb\n${Array.from({ length: 10 }, (_, i) => `${1000 + i},0.${i}25\n`).join('')}`;
    for (const threads of [2, 4, 12]) await viaFastPath(text, DEFAULT_NA_VALUES, [{ threads, minThreadedBytes: 0, blockBytes: 64 }]);
  });

  it('overflowing tokens read as +-Infinity, counted like the general reader (the frame then names them)', async () => {
    const text = 'unit,year,x\n1,2000,1e400\n1,2001,2\n2,2000,-1e999\n2,2001,NA\n3,2000,1e309\n';
    await viaFastPath(text, DEFAULT_NA_VALUES, [SPLIT, { threads: 2, minThreadedBytes: 0, blockBytes: 16 }]);
    const path = fileWith(text);
    for (const blockBytes of [16, 20, 1000]) {
      const layout = fastCsvLayout(path, statSync(path).size, ',', 3, DEFAULT_NA_VALUES)!;
      const x = (await readNumericCsvFast(path, layout, { threads: 2, minThreadedBytes: 0, blockBytes }))![2]!;
      expect([x.nulls, x.infinities, x.infiniteRows]).toEqual([1, 3, [0, 2, 4]]);
    }
    const slow = await general(() => outcome(() => readPanel(path, { unit: 'unit', time: 'year' })));
    expect(slow).toMatch(/Infinity|infinite/);
    expect(await outcome(() => readPanel(path, { unit: 'unit', time: 'year' }))).toBe(slow);
    const missing = await readPanel(path, { unit: 'unit', time: 'year', nonFinite: 'missing' });
    const slowMissing = await general(() => readPanel(path, { unit: 'unit', time: 'year', nonFinite: 'missing' }));
    expect(Array.from(missing.numeric('x'))).toEqual(Array.from(slowMissing.numeric('x')));
  });
});

describe('copyBits (joining the ranges\' validity bits)', () => {
  it('copies any bit range to any offset, leaving the bits around it alone', () => {
    const r = rng(7);
    const source = Uint8Array.from({ length: 40 }, () => Math.floor(r() * 256));
    const bit = (a: Uint8Array, i: number) => (a[i >> 3]! >> (i & 7)) & 1;
    for (const [from, to, n] of [[0, 0, 320], [3, 0, 100], [0, 5, 100], [7, 2, 1], [13, 13, 200], [9, 30, 0], [1, 63, 250]] as const) {
      const target = new Uint8Array(48).fill(0xa5);
      const before = target.slice();
      copyBits(source, from, target, to, n);
      for (let i = 0; i < 48 * 8; i++) {
        const expected = i >= to && i < to + n ? bit(source, from + i - to) : bit(before, i);
        if (bit(target, i) !== expected) expect.fail(`from ${from} to ${to} n ${n}: bit ${i}`);
      }
    }
  });
});

describe('files the fast path leaves to the general reader, with its result or message', () => {
  it.each([
    ['Inf token', 'a,b\n1,2\nInf,3\n'],
    ['nan token', 'a,b\n1,2\nnan,3\n'],
    ['leading space', 'a,b\n1,2\n 3,4\n'],
    ['hex', 'a,b\n1,2\n0x10,4\n'],
    ['stray word', 'a,b\n1,2\n3,oops\n4,5\n'],
    ['exponent without digits', 'a,b\n1,2\n3,4\n1e,5\n6,7\n8,9\n'],
    ['too few fields', 'a,b\n1,2\n3\n4,5\n'],
    ['too many fields', 'a,b\n1,2\n3,4,5\n4,5\n'],
    ['quotes', 'a,b\n1,2\n"3",4\n'],
    ['quoted header', '"a","b"\n1,2\n3,4\n'],
    ['CR-only line ends', 'a,b\r1,2\r3,4\r'],
    ['mixed line ends', 'a,b\n1,2\r\n3,4\n'],
    ['blank line', 'a,b\n1,2\n\n3,4\n'],
    ['blank last line', 'a,b\n1,2\n3,4\n\n'],
    ['header only', 'a,b\n'],
  ])('%s', async (_, text) => {
    await leftToDuckdb(text);
  });

  it('an empty field when "" is not an NA token, and NA tokens that are numbers', async () => {
    await leftToDuckdb('a,b\n1,2\n3,4\n5,6\n,7\n', ['NA'], { numeric: ['a'] });
    await leftToDuckdb('a,b\n1,-99\n-99,3\n', ['-99']);
  });
});
