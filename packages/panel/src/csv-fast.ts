import { closeSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CSV_FAST_WASM_BASE64 } from './csv-fast-wasm.js';
import type { StreamedColumn } from './duckdb-source.js';

/**
 * The fast path for all-numeric CSV files: a hand-written WebAssembly number parser (csv-fast.wat)
 * over byte ranges of the file, one per core, in worker threads. No reader we can use reaches
 * data.table's fread here (README, "Reading files"), so this one is ours. It only takes files whose
 * every data line is plain decimal numbers or NA tokens with exactly the header's field count, LF or
 * CRLF line ends as the header has, and no quote; on anything else it gives up (null) and the caller
 * runs the general DuckDB reader, whose results and messages it must equal.
 */

/** A numeric column as the stream readers give it (values, NaN and +-Infinity counts, first infinite rows). */
export type FastColumn = Extract<StreamedColumn, { kind: 'numeric' }>;

export interface FastCsvLayout {
  /** Byte offset of the first data line (after the header's line break). */
  readonly dataStart: number;
  readonly size: number;
  readonly columns: number;
  readonly delimiter: string;
  readonly crlf: boolean;
  readonly naValues: readonly string[];
  /** Mean bytes per line, to size the columns (grown when short). */
  readonly bytesPerLine: number;
}

export interface FastCsvTuning {
  /** Threads (this one included); default: the machine's available parallelism. */
  readonly threads?: number;
  /** Files with fewer data bytes are parsed on this thread (worker start-up costs ~40 ms). */
  readonly minThreadedBytes?: number;
  /** Bytes read into WebAssembly memory at a time (tests use small ones). */
  readonly blockBytes?: number;
}

const DEFAULT_MIN_THREADED_BYTES = 16 * 2 ** 20;
const DEFAULT_BLOCK_BYTES = 2 ** 19;
/** Delimiters the fast path takes (those the reader detects); any other byte may be part of a number. */
const DELIMITERS = new Set([',', '\t', ';', '|']);
/** A plain decimal number: NA tokens that are numbers would need a check per field, so they send the file to DuckDB. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The layout of a file for the fast path, from its first 64 KiB: where the data lines start, the line
 * end the header uses, and the mean line length. Null when the header line is not plainly
 * `columns` fields (a quote, a stray carriage return, no line break in the first 64 KiB).
 */
export function fastCsvLayout(path: string, size: number, delimiter: string, columns: number, naValues: readonly string[]): FastCsvLayout | null {
  if (!fastCsvApplies({ delimiter, naValues, columns })) return null;
  const head = Buffer.allocUnsafe(Math.min(size, 65536));
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const nl = head.indexOf(10);
  if (nl === -1) return null;
  const crlf = nl > 0 && head[nl - 1] === 13;
  const headerLine = head.subarray(0, crlf ? nl - 1 : nl);
  if (headerLine.includes(34) || headerLine.includes(13)) return null;
  let fields = 1;
  const d = delimiter.charCodeAt(0);
  for (const b of headerLine) if (b === d) fields++;
  if (fields !== columns) return null;
  const dataStart = nl + 1;
  const lastNl = head.lastIndexOf(10);
  let lines = 0;
  for (let at = head.indexOf(10, dataStart); at !== -1 && at <= lastNl; at = head.indexOf(10, at + 1)) lines++;
  const bytesPerLine = lines > 0 ? (lastNl + 1 - dataStart) / lines : Math.max(1, size - dataStart);
  return { dataStart, size, columns, delimiter, crlf, naValues, bytesPerLine };
}

/** Whether the fast path can take this layout at all; false sends the file to the general reader. */
export function fastCsvApplies(layout: Pick<FastCsvLayout, 'delimiter' | 'naValues' | 'columns'>): boolean {
  if (process.env['PANEL_LAB_CSV_FAST'] === '0') return false;
  if (!DELIMITERS.has(layout.delimiter) || layout.columns < 1 || layout.columns > 1024) return false;
  return naTable(layout.naValues, layout.delimiter) !== null;
}

/** The NA tokens as the WebAssembly module reads them (count, then length byte + UTF-8 bytes each); null when one cannot be matched byte-exactly there. */
function naTable(naValues: readonly string[], delimiter: string): Uint8Array | null {
  const parts: number[] = [];
  for (const token of naValues) {
    const bytes = Buffer.from(token, 'utf8');
    if (bytes.length > 255 || PLAIN_NUMBER.test(token) || /[\r\n"]/.test(token) || token.includes(delimiter)) return null;
    parts.push(bytes.length, ...bytes);
  }
  if (parts.length > 760) return null;
  const out = new Uint8Array(4 + parts.length);
  new DataView(out.buffer).setInt32(0, naValues.length, true);
  out.set(parts, 4);
  return out;
}

/** The 128-bit truncated powers of five for q = -342..308, hi then lo word (Eisel-Lemire's table). */
export function powersOfFive(): Uint8Array {
  const out = new Uint8Array(651 * 16);
  const view = new DataView(out.buffer);
  const two128 = 1n << 128n;
  const mask = (1n << 64n) - 1n;
  for (let q = -342; q <= 308; q++) {
    let c: bigint;
    if (q < 0) {
      const p5 = 5n ** BigInt(-q);
      const z = BigInt(p5.toString(2).length - (p5 & (p5 - 1n) ? 0 : 1)); // smallest z with 2^z >= p5
      c = (1n << (q >= -27 ? z + 127n : 2n * z + 128n)) / p5 + 1n;
      while (c >= two128) c >>= 1n;
    } else {
      c = 5n ** BigInt(q);
      while (c < 1n << 127n) c <<= 1n;
      while (c >= two128) c >>= 1n;
    }
    const at = (q + 342) * 16;
    view.setBigUint64(at, c >> 64n, true);
    view.setBigUint64(at + 8, c & mask, true);
  }
  return out;
}

/** The WebAssembly API this module uses (the package's TypeScript lib has no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

let shared: { module: object; pow5: Uint8Array } | undefined;
function wasm(): { module: object; pow5: Uint8Array } {
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  shared ??= { module: new api.Module(Buffer.from(CSV_FAST_WASM_BASE64, 'base64')), pow5: powersOfFive() };
  return shared;
}

/** What one range gives: its columns (the first `rows` values of each), NA and infinity counts, first infinite rows (range-relative). */
interface RangeResult {
  rows: number;
  columns: Float64Array[];
  nulls: number[];
  infinities: number[];
  infiniteRows: number[][];
}

interface RangeJob {
  module: object;
  pow5: Uint8Array;
  na: Uint8Array;
  path: string;
  from: number;
  to: number;
  ncols: number;
  delim: number;
  crlf: number;
  blockBytes: number;
  expectRows: number;
}

/**
 * Parses the lines of [from, to) of the file (from at a line start, to after a line break or at the
 * end). Self-contained (no outer names): its source is also the worker threads' body. Null when the
 * range does not qualify for the fast path.
 */
function parseRange(job: RangeJob, fs: { openSync: typeof openSync; readSync: typeof readSync; closeSync: typeof closeSync }): RangeResult | null {
  const { ncols, blockBytes } = job;
  const inAt = 65536;
  const capRows = Math.floor(blockBytes / Math.max(1, ncols - 1)) + 2;
  const outAt = inAt + Math.ceil((blockBytes + 16) / 8) * 8;
  const need = outAt + ncols * capRows * 8;
  let bytes = new Uint8Array(0);
  let rowsBefore = 0;
  const infinities = new Array<number>(ncols).fill(0);
  const infiniteRows: number[][] = Array.from({ length: ncols }, () => []);
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const instance = new api.Instance(job.module, {
    env: {
      slow: (start: number, len: number) => Number(String.fromCharCode.apply(null, Array.from(bytes.subarray(start, start + len)))),
      infinite: (col: number, row: number) => {
        if (infinities[col]!++ < 5) infiniteRows[col]!.push(rowsBefore + row);
      },
    },
  });
  const exports = instance.exports as { memory: WasmMemory; parse: (...args: number[]) => number };
  const memory = exports.memory;
  if (need > memory.buffer.byteLength) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
  bytes = new Uint8Array(memory.buffer);
  const ints = new Int32Array(memory.buffer);
  const doubles = new Float64Array(memory.buffer);
  for (let i = 0; i <= 22; i++) doubles[8 + i] = Number(`1e${i}`);
  bytes.set(job.na, 256);
  ints.fill(0, 256, 256 + ncols);
  bytes.set(job.pow5, 8192);
  let capacity = Math.max(16, job.expectRows);
  let columns = Array.from({ length: ncols }, () => new Float64Array(capacity));
  const fd = fs.openSync(job.path, 'r');
  try {
    let filePos = job.from;
    let have = 0;
    for (;;) {
      const want = Math.min(blockBytes - have, job.to - filePos);
      let got = 0;
      while (got < want) {
        const n = fs.readSync(fd, bytes, inAt + have + got, want - got, filePos + got);
        if (n === 0) break;
        got += n;
      }
      filePos += got;
      have += got;
      const final = filePos >= job.to || got < want ? 1 : 0;
      bytes[inAt + have] = 0;
      ints[1] = 0;
      const rows = exports.parse(inAt, inAt + have, final, ncols, job.delim, job.crlf, outAt, capRows);
      if (ints[1] !== 0) return null;
      if (rowsBefore + rows > capacity) {
        capacity = Math.max(rowsBefore + rows, Math.ceil(capacity * 1.5));
        columns = columns.map((old) => {
          const grown = new Float64Array(capacity);
          grown.set(old.subarray(0, rowsBefore));
          return grown;
        });
      }
      for (let c = 0; c < ncols; c++) {
        const at = outAt / 8 + c * capRows;
        columns[c]!.set(doubles.subarray(at, at + rows), rowsBefore);
      }
      rowsBefore += rows;
      const consumed = ints[0]!;
      const rest = inAt + have - consumed;
      if (final) {
        if (rest !== 0) return null;
        break;
      }
      if (rest === have && have >= blockBytes) return null; // a line longer than a block
      bytes.copyWithin(inAt, consumed, inAt + have);
      have = rest;
    }
  } finally {
    fs.closeSync(fd);
  }
  const nulls = Array.from(ints.subarray(256, 256 + ncols));
  return { rows: rowsBefore, columns, nulls, infinities, infiniteRows };
}

// __name: what esbuild (tsx) wraps named closures in when it keeps function names; absent in a worker
const WORKER_SOURCE = `const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
var __name = (f) => f;
const parseRange = ${parseRange.toString()};
parentPort.once('message', (job) => {
  const result = parseRange(job, fs);
  parentPort.postMessage(result, result ? result.columns.map((c) => c.buffer) : []);
});`;

/** [from, to) byte ranges of the data lines, cut after line breaks: about `parts` equal ones. */
function splitRanges(path: string, from: number, to: number, parts: number): [number, number][] {
  const cuts = [from];
  const fd = openSync(path, 'r');
  try {
    const probe = Buffer.allocUnsafe(65536);
    for (let t = 1; t < parts; t++) {
      let at = Math.max(cuts[cuts.length - 1]!, Math.floor(from + ((to - from) * t) / parts) - 1);
      let cut = to;
      while (at < to) {
        const n = readSync(fd, probe, 0, Math.min(probe.length, to - at), at);
        if (n === 0) break;
        const nl = probe.subarray(0, n).indexOf(10);
        if (nl !== -1) {
          cut = at + nl + 1;
          break;
        }
        at += n;
      }
      if (cut > cuts[cuts.length - 1]! && cut < to) cuts.push(cut);
    }
  } finally {
    closeSync(fd);
  }
  cuts.push(to);
  return cuts.slice(0, -1).map((c, i) => [c, cuts[i + 1]!]);
}

function runWorker(job: RangeJob, worker: Worker): Promise<RangeResult | null> {
  return new Promise<RangeResult | null>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`CSV fast-path worker exited (code ${code}) before giving its result`)));
    worker.postMessage(job);
  }).finally(() => void worker.terminate());
}

/** How many ranges (threads) a file of `dataBytes` is parsed in: ranges of at least half the threaded minimum, so many cores do not start many workers for a small file. */
function rangeCount(dataBytes: number, tuning: FastCsvTuning): number {
  const threads = Math.max(1, Math.floor(tuning.threads ?? availableParallelism()));
  const rangeBytes = (tuning.minThreadedBytes ?? DEFAULT_MIN_THREADED_BYTES) / 2;
  return rangeBytes <= 0 ? threads : Math.max(1, Math.min(threads, Math.floor(dataBytes / rangeBytes)));
}

/**
 * Worker threads started before the read is decided (while DuckDB sniffs the file: a worker takes
 * ~40 ms to start), handed to readNumericCsvFast; close() ends those not taken. A warm worker that
 * failed while waiting makes take() throw its error.
 */
export class FastCsvWorkers {
  private readonly idle: Worker[] = [];
  private failure: Error | undefined;

  constructor(count: number) {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      const onError = (error: Error) => (this.failure ??= error);
      const onExit = () => this.idle.splice(this.idle.indexOf(worker) >>> 0, 1);
      worker.once('error', onError);
      worker.once('exit', onExit);
      (worker as Worker & { detach?: () => void }).detach = () => {
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      this.idle.push(worker);
    }
  }

  take(): Worker {
    if (this.failure) throw this.failure;
    const worker = this.idle.pop();
    if (!worker) return new Worker(WORKER_SOURCE, { eval: true });
    (worker as Worker & { detach?: () => void }).detach?.();
    return worker;
  }

  close(): void {
    for (const worker of this.idle.splice(0)) void worker.terminate();
  }
}

/**
 * Starts the workers a read of this file would take, when its first data line looks all-numeric
 * (plain numbers and NA tokens split at the header's likely delimiter); null otherwise or for a
 * file parsed on one thread. The caller must close() them.
 */
export function prestartFastCsvWorkers(size: number, head: string, delimiter: string, naValues: readonly string[], tuning: FastCsvTuning = {}): FastCsvWorkers | null {
  if (!fastCsvApplies({ delimiter, naValues, columns: 1 })) return null;
  const lines = head.split('\n', 3);
  if (lines.length < 3) return null;
  const fields = lines[1]!.replace(/\r$/, '').split(delimiter);
  if (!fields.every((f) => PLAIN_NUMBER.test(f) || naValues.includes(f))) return null;
  const count = rangeCount(size, tuning) - 1;
  return count > 0 ? new FastCsvWorkers(count) : null;
}

/**
 * Reads the data lines of an all-numeric CSV file into Float64 columns (NaN = NA), or null when the
 * file does not qualify for the fast path (the caller then reads it the general way).
 */
export async function readNumericCsvFast(
  path: string,
  layout: FastCsvLayout,
  tuning: FastCsvTuning = {},
  workers: FastCsvWorkers = new FastCsvWorkers(0),
): Promise<FastColumn[] | null> {
  const na = naTable(layout.naValues, layout.delimiter);
  if (na === null || !fastCsvApplies(layout)) return null;
  const { module, pow5 } = wasm();
  const dataBytes = layout.size - layout.dataStart;
  if (dataBytes <= 0) return null;
  const ranges = splitRanges(path, layout.dataStart, layout.size, rangeCount(dataBytes, tuning));
  const job = (from: number, to: number): RangeJob => ({
    module,
    pow5,
    na,
    path,
    from,
    to,
    ncols: layout.columns,
    delim: layout.delimiter.charCodeAt(0),
    crlf: layout.crlf ? 1 : 0,
    blockBytes: tuning.blockBytes ?? DEFAULT_BLOCK_BYTES,
    expectRows: Math.ceil(((to - from) / Math.max(1, layout.bytesPerLine)) * 1.02) + 16,
  });
  const others = ranges.slice(1).map(([from, to]) => runWorker(job(from, to), workers.take()));
  let mine: RangeResult | null;
  try {
    // this thread's columns are sized for the whole file: the other ranges are then copied in after it
    const whole = job(layout.dataStart, layout.size).expectRows;
    mine = parseRange({ ...job(ranges[0]![0], ranges[0]![1]), expectRows: whole }, { openSync, readSync, closeSync });
  } finally {
    // the workers must end before this returns, whatever happened here
    await Promise.allSettled(others);
  }
  const pieces = [mine, ...(await Promise.all(others))];
  if (pieces.some((p) => p === null)) return null;
  return joinPieces(pieces as RangeResult[], layout.columns);
}

/** One buffer per column from the ranges' pieces, with counts and first infinite rows over the whole file. */
function joinPieces(pieces: readonly RangeResult[], ncols: number): FastColumn[] | null {
  const rows = pieces.reduce((n, p) => n + p.rows, 0);
  if (rows === 0) return null;
  const out: FastColumn[] = [];
  for (let c = 0; c < ncols; c++) {
    const first = pieces[0]!;
    let values = first.columns[c]!;
    if (values.length < rows) {
      values = new Float64Array(rows);
      values.set(first.columns[c]!.subarray(0, first.rows));
    }
    let at = first.rows;
    for (const piece of pieces.slice(1)) {
      values.set(piece.columns[c]!.subarray(0, piece.rows), at);
      at += piece.rows;
    }
    // a view when at most 1/8 is unused (as the column sinks do), else an exact copy
    values = values.length - rows <= values.length / 8 ? values.subarray(0, rows) : values.slice(0, rows);
    let nulls = 0;
    let infinities = 0;
    const infiniteRows: number[] = [];
    let before = 0;
    for (const piece of pieces) {
      nulls += piece.nulls[c]!;
      infinities += piece.infinities[c]!;
      for (const r of piece.infiniteRows[c]!) if (infiniteRows.length < 5) infiniteRows.push(before + r);
      before += piece.rows;
    }
    out.push({ kind: 'numeric', values, nulls, infinities, infiniteRows });
  }
  return out;
}

/**
 * The fast path's conversion of one token, for tests: its value, or null when it is not a plain
 * decimal number. Same module, grammar and fallback as the file parser.
 */
export function fastTokenParser(): (token: string) => number | null {
  const { module, pow5 } = wasm();
  let bytes = new Uint8Array(0);
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const instance = new api.Instance(module, {
    env: {
      slow: (start: number, len: number) => Number(Buffer.from(bytes.subarray(start, start + len)).toString('latin1')),
      infinite: () => {},
    },
  });
  const exports = instance.exports as { memory: WasmMemory; token: (start: number, len: number) => number };
  exports.memory.grow(5);
  bytes = new Uint8Array(exports.memory.buffer);
  const doubles = new Float64Array(exports.memory.buffer);
  const ints = new Int32Array(exports.memory.buffer);
  for (let i = 0; i <= 22; i++) doubles[8 + i] = Number(`1e${i}`);
  bytes.set(pow5, 8192);
  return (token) => {
    const encoded = Buffer.from(token, 'latin1');
    if (encoded.length > 300_000) throw new RangeError('token too long for the test parser');
    bytes.set(encoded, 65536);
    const v = exports.token(65536, encoded.length);
    return ints[1] === 0 ? v : null;
  };
}
