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
 *
 * Every thread writes its rows straight into the final columns (SharedArrayBuffers, see RangeSink):
 * nothing is joined or copied after the parse. Workers are kept between reads (FastCsvPool).
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
  /** Mean bytes per line, to size the columns (read again with room for any line count when short). */
  readonly bytesPerLine: number;
}

export interface FastCsvTuning {
  /** Threads (this one included); default: the machine's available parallelism. */
  readonly threads?: number;
  /** Files with fewer data bytes are parsed on this thread (a message to a worker and back costs ~1 ms, starting one ~40 ms). */
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

/**
 * Where a range's rows go: slots [start, start + capacity) of the shared output columns (one
 * SharedArrayBuffer per column, so that every thread writes into the final columns and nothing is
 * joined afterwards). A backward range parses its blocks last to first and fills its slots from the
 * end down: its last row lands right before the next range's first, with no gap to close. Regions
 * start at multiples of 8 slots, so no two threads write the same byte of NA bits.
 */
interface RangeSink {
  buffers: SharedArrayBuffer[];
  /** Per column, NA bits by slot (slot i is bit i, set where the value is NA); written only for blocks with NA. */
  naBits: SharedArrayBuffer[];
  start: number;
  capacity: number;
  backward: boolean;
}

/** What one range gives: its row count, the slot of its first row (region-relative), NA and infinity counts, first infinite rows (range-relative). */
interface RangeResult {
  rows: number;
  first: number;
  nulls: number[];
  infinities: number[];
  infiniteRows: number[][];
}

/** A range that does not qualify (null), or holds more rows than its slots ('overflow': read again with more). */
type RangeOutcome = RangeResult | null | 'overflow';

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
  sink: RangeSink;
}

/**
 * Parses the lines of [from, to) of the file (from at a line start, to after a line break or at the
 * end) into the job's slots. Self-contained (no outer names): its source is also the worker threads'
 * body.
 */
function parseRange(job: RangeJob, fs: { openSync: typeof openSync; readSync: typeof readSync; closeSync: typeof closeSync }): RangeOutcome {
  const { ncols, blockBytes, sink } = job;
  const inAt = 65536;
  const capRows = Math.floor((blockBytes + 1) / Math.max(1, ncols - 1)) + 2;
  const outAt = inAt + Math.ceil((blockBytes + 24) / 8) * 8;
  const bitsAt = outAt + ncols * capRows * 8;
  const need = bitsAt + Math.ceil(capRows / 64) * 8 + 16;
  let bytes = new Uint8Array(0);
  const infinities = new Array<number>(ncols).fill(0);
  // infinite rows of the block just parsed (block-relative, first five a column)
  const blockInfinite: number[][] = Array.from({ length: ncols }, () => []);
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const instance = new api.Instance(job.module, {
    env: {
      slow: (start: number, len: number) => Number(String.fromCharCode.apply(null, Array.from(bytes.subarray(start, start + len)))),
      infinite: (col: number, row: number) => {
        infinities[col]!++;
        if (blockInfinite[col]!.length < 5) blockInfinite[col]!.push(row);
      },
    },
  });
  const exports = instance.exports as { memory: WasmMemory; parse: (...args: number[]) => number; naBits: (...args: number[]) => void };
  const memory = exports.memory;
  if (need > memory.buffer.byteLength) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
  bytes = new Uint8Array(memory.buffer);
  const ints = new Int32Array(memory.buffer);
  const doubles = new Float64Array(memory.buffer);
  for (let i = 0; i <= 22; i++) doubles[8 + i] = Number(`1e${i}`);
  bytes.set(job.na, 256);
  ints.fill(0, 256, 256 + ncols);
  bytes.set(job.pow5, 8192);
  const slots = sink.buffers.map((buffer) => new Float64Array(buffer, sink.start * 8, sink.capacity));
  const naBits = sink.naBits.map((buffer) => new Uint8Array(buffer, sink.start / 8));
  // NA counts before the block just parsed: a column whose count grew gets its NA bits
  const nullsBefore = new Array<number>(ncols).fill(0);
  // the infinite rows kept (region slots), in row order
  const infiniteSlots: number[][] = Array.from({ length: ncols }, () => []);
  /** Copies a parsed block's rows into slots [at, at + rows), with NA bits where it had NA, and records its infinite rows. */
  const place = (rows: number, at: number, before: boolean) => {
    for (let c = 0; c < ncols; c++) {
      const from = outAt / 8 + c * capRows;
      slots[c]!.set(doubles.subarray(from, from + rows), at);
      const nulls = ints[256 + c]!;
      if (nulls !== nullsBefore[c]) {
        nullsBefore[c] = nulls;
        exports.naBits(from * 8, rows, bitsAt, at & 7);
        const bits = naBits[c]!;
        const byte = at >> 3;
        const count = ((at & 7) + rows + 7) >> 3;
        for (let b = 0; b < count; b++) bits[byte + b]! |= bytes[bitsAt + b]!;
      }
      const found = blockInfinite[c]!;
      if (found.length === 0) continue;
      const kept = found.map((r) => at + r);
      infiniteSlots[c] = (before ? kept.concat(infiniteSlots[c]!) : infiniteSlots[c]!.concat(kept)).slice(0, 5);
      found.length = 0;
    }
  };
  /** Reads [pos, pos + want) of the file into WebAssembly memory at `at`; the bytes read. */
  const fill = (fd: number, at: number, want: number, pos: number) => {
    let got = 0;
    while (got < want) {
      const n = fs.readSync(fd, bytes, at + got, want - got, pos + got);
      if (n === 0) break;
      got += n;
    }
    return got;
  };
  /** Parses the complete lines of [start, end) in WebAssembly memory: their count, or -1 when the block does not qualify. */
  const parseBlock = (start: number, end: number, final: number) => {
    bytes[end] = 0;
    ints[1] = 0;
    const parsed = exports.parse(start, end, final, ncols, job.delim, job.crlf, outAt, capRows);
    return ints[1] === 0 ? parsed : -1;
  };
  let rows = 0;
  let first = 0;
  const fd = fs.openSync(job.path, 'r');
  try {
    if (sink.backward) {
      // blocks from the range's end down; each parses the complete lines that start in it
      let hi = job.to;
      let top = sink.capacity;
      while (hi > job.from) {
        const lo = Math.max(job.from, hi - blockBytes);
        const readFrom = lo > job.from ? lo - 1 : lo; // the byte before: is lo a line start?
        const have = fill(fd, inAt, hi - readFrom, readFrom);
        if (have !== hi - readFrom) return null; // the file changed under us
        let s = inAt;
        if (lo > job.from) {
          s = bytes.indexOf(10, inAt) + 1;
          if (s === 0 || s >= inAt + have) return null; // a line longer than a block
        }
        const got = parseBlock(s, inAt + have, 0);
        if (got < 0 || ints[0] !== inAt + have) return null;
        if (got > top) return 'overflow';
        top -= got;
        place(got, top, true);
        hi = readFrom + (s - inAt);
      }
      rows = sink.capacity - top;
      first = top;
    } else {
      let filePos = job.from;
      let have = 0;
      for (;;) {
        const want = Math.min(blockBytes - have, job.to - filePos);
        const got = fill(fd, inAt + have, want, filePos);
        filePos += got;
        have += got;
        const final = filePos >= job.to || got < want ? 1 : 0;
        const parsed = parseBlock(inAt, inAt + have, final);
        if (parsed < 0) return null;
        if (rows + parsed > sink.capacity) return 'overflow';
        place(parsed, rows, false);
        rows += parsed;
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
    }
  } finally {
    fs.closeSync(fd);
  }
  const nulls = Array.from(ints.subarray(256, 256 + ncols));
  const infiniteRows = infiniteSlots.map((list) => list.map((slot) => slot - first));
  return { rows, first, nulls, infinities, infiniteRows };
}

// __name: what esbuild (tsx) wraps named closures in when it keeps function names; absent in a worker.
// A worker serves one range after another (workers are kept, see FastCsvPool); an error is sent back.
const WORKER_SOURCE = `const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
var __name = (f) => f;
const parseRange = ${parseRange.toString()};
parentPort.on('message', (job) => {
  let outcome;
  try {
    outcome = { result: parseRange(job, fs) };
  } catch (error) {
    outcome = { error: String(error && error.stack || error) };
  }
  parentPort.postMessage(outcome);
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

/** How many ranges (threads) a file of `dataBytes` is parsed in: ranges of at least half the threaded minimum, so many cores do not start many workers for a small file. */
function rangeCount(dataBytes: number, tuning: FastCsvTuning): number {
  const threads = Math.max(1, Math.floor(tuning.threads ?? availableParallelism()));
  const rangeBytes = (tuning.minThreadedBytes ?? DEFAULT_MIN_THREADED_BYTES) / 2;
  return rangeBytes <= 0 ? threads : Math.max(1, Math.min(threads, Math.floor(dataBytes / rangeBytes)));
}

/** Idle workers are ended after this long without a read (a worker holds about 10 MB). */
const WORKER_IDLE_MS = 30_000;

/**
 * The fast path's worker threads, kept between reads: a worker takes ~40 ms to start, a sixth of a
 * 2M-row read. Idle workers do not keep the process alive and end after WORKER_IDLE_MS; one that
 * fails is dropped and the read that used it fails with its error.
 */
class FastCsvPool {
  private readonly idle: Worker[] = [];
  private timer: NodeJS.Timeout | undefined;

  /** Starts workers until `count` are idle. */
  warm(count: number): void {
    while (this.idle.length < count) this.idle.push(this.spawn());
    this.armIdleEnd();
  }

  /** Runs one range on a worker; the worker goes back to the pool once it has answered. */
  run(job: RangeJob): Promise<RangeOutcome> {
    const worker = this.idle.pop() ?? this.spawn();
    worker.ref(); // the read awaits it
    return new Promise<RangeOutcome>((resolve, reject) => {
      const onMessage = (outcome: { result?: RangeOutcome; error?: string }) => {
        settle();
        worker.unref();
        this.idle.push(worker);
        this.armIdleEnd();
        if (outcome.error !== undefined) reject(new Error(`CSV fast-path worker failed: ${outcome.error}`));
        else resolve(outcome.result ?? null);
      };
      const onError = (error: Error) => {
        settle();
        void worker.terminate();
        reject(error);
      };
      const onExit = (code: number) => {
        settle();
        reject(new Error(`CSV fast-path worker exited (code ${code}) before giving its result`));
      };
      const settle = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      try {
        worker.postMessage(job);
      } catch (error) {
        // the job could not be sent (nothing reached the worker): it goes back idle
        settle();
        worker.unref();
        this.idle.push(worker);
        reject(error as Error);
      }
    });
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    // an idle worker that fails or ends is dropped; a busy one's run() reports it
    const drop = () => {
      const at = this.idle.indexOf(worker);
      if (at !== -1) this.idle.splice(at, 1);
    };
    worker.on('error', drop);
    worker.on('exit', drop);
    return worker;
  }

  private armIdleEnd(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      for (const worker of this.idle.splice(0)) void worker.terminate();
    }, WORKER_IDLE_MS);
    this.timer.unref();
  }
}

const pool = new FastCsvPool();

/**
 * Starts (or keeps) the workers a read of this file would take, when its first data line looks
 * all-numeric (plain numbers and NA tokens split at the header's likely delimiter).
 */
export function prestartFastCsvWorkers(size: number, head: string, delimiter: string, naValues: readonly string[], tuning: FastCsvTuning = {}): void {
  if (!fastCsvApplies({ delimiter, naValues, columns: 1 })) return;
  const lines = head.split('\n', 3);
  if (lines.length < 3) return;
  const fields = lines[1]!.replace(/\r$/, '').split(delimiter);
  if (!fields.every((f) => PLAIN_NUMBER.test(f) || naValues.includes(f))) return;
  const count = rangeCount(size, tuning) - 1;
  if (count > 0) pool.warm(count);
}

/**
 * Slots a range is given: its expected rows and half again (untouched slots cost no memory), or with
 * `bound`, more than it can hold (every line has at least `ncols` bytes); a multiple of 8.
 */
function rangeCapacity(bytes: number, layout: FastCsvLayout, bound: boolean): number {
  const slots = bound ? Math.ceil(bytes / layout.columns) + 2 : Math.ceil((bytes / Math.max(1, layout.bytesPerLine)) * 1.5) + 4096;
  return Math.ceil(slots / 8) * 8;
}

/**
 * Reads the data lines of an all-numeric CSV file into Float64 columns (NaN = NA), or null when the
 * file does not qualify for the fast path (the caller then reads it the general way).
 */
export async function readNumericCsvFast(path: string, layout: FastCsvLayout, tuning: FastCsvTuning = {}): Promise<FastColumn[] | null> {
  const na = naTable(layout.naValues, layout.delimiter);
  if (na === null || !fastCsvApplies(layout)) return null;
  const dataBytes = layout.size - layout.dataStart;
  if (dataBytes <= 0) return null;
  const ranges = splitRanges(path, layout.dataStart, layout.size, rangeCount(dataBytes, tuning));
  // slots sized from the mean line length first; a range with more rows is read again with a bound
  const first = await readRanges(path, layout, ranges, na, tuning, false);
  return first === 'overflow' ? neverOverflowing(await readRanges(path, layout, ranges, na, tuning, true)) : first;
}

/** The re-read's outcome: with room for any line count, an overflow is a bug, said as such. */
function neverOverflowing(outcome: FastColumn[] | null | 'overflow'): FastColumn[] | null {
  if (outcome === 'overflow') throw new Error('CSV fast path: a range holds more rows than its bytes allow (a bug)');
  return outcome;
}

/**
 * One read of the ranges into shared output columns: this thread takes the first range (backward,
 * when there are others), workers the rest. The first two ranges meet without a gap; ranges after
 * them (more than two threads) are moved down to follow.
 */
async function readRanges(
  path: string,
  layout: FastCsvLayout,
  ranges: readonly [number, number][],
  na: Uint8Array,
  tuning: FastCsvTuning,
  bound: boolean,
): Promise<FastColumn[] | null | 'overflow'> {
  const { module, pow5 } = wasm();
  const capacities = ranges.map(([from, to]) => rangeCapacity(to - from, layout, bound));
  const starts = capacities.map((_, i) => capacities.slice(0, i).reduce((a, b) => a + b, 0));
  const total = starts[starts.length - 1]! + capacities[capacities.length - 1]!;
  let buffers: SharedArrayBuffer[];
  let naBits: SharedArrayBuffer[];
  try {
    buffers = Array.from({ length: layout.columns }, () => new SharedArrayBuffer(total * 8));
    naBits = Array.from({ length: layout.columns }, () => new SharedArrayBuffer(total / 8 + 16));
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    // more slots than memory allows: the general reader streams the file (same table), and says so here
    process.emitWarning(`CSV fast path: no memory for ${layout.columns} columns of ${total} rows (${error.message}); the file is read by the streaming reader`, {
      code: 'PANEL_LAB_CSV_FAST_PATH',
    });
    return null;
  }
  const job = (i: number): RangeJob => ({
    module,
    pow5,
    na,
    path,
    from: ranges[i]![0],
    to: ranges[i]![1],
    ncols: layout.columns,
    delim: layout.delimiter.charCodeAt(0),
    crlf: layout.crlf ? 1 : 0,
    blockBytes: tuning.blockBytes ?? DEFAULT_BLOCK_BYTES,
    sink: { buffers, naBits, start: starts[i]!, capacity: capacities[i]!, backward: i === 0 && ranges.length > 1 },
  });
  const others = ranges.slice(1).map((_, i) => pool.run(job(i + 1)));
  let mine: RangeOutcome;
  try {
    mine = parseRange(job(0), { openSync, readSync, closeSync });
  } finally {
    // the workers must end before this returns, whatever happened here
    await Promise.allSettled(others);
  }
  const outcomes = [mine, ...(await Promise.all(others))];
  if (outcomes.some((o) => o === null)) return null;
  if (outcomes.some((o) => o === 'overflow')) return 'overflow';
  return joinRanges(outcomes as RangeResult[], starts, buffers, naBits);
}

/** The ranges' rows made one run per column (moving ranges after the first two down), with validity bits, counts and first infinite rows over the whole file. */
function joinRanges(pieces: readonly RangeResult[], starts: readonly number[], buffers: readonly SharedArrayBuffer[], naBits: readonly SharedArrayBuffer[]): FastColumn[] | null {
  const rows = pieces.reduce((n, p) => n + p.rows, 0);
  if (rows === 0) return null;
  const begin = starts[0]! + pieces[0]!.first;
  let end = begin + pieces[0]!.rows + (pieces[1]?.rows ?? 0);
  for (let i = 2; i < pieces.length; i++) {
    const at = starts[i]!;
    for (const buffer of buffers) new Float64Array(buffer).copyWithin(end, at, at + pieces[i]!.rows);
    end += pieces[i]!.rows;
  }
  return buffers.map((buffer, c) => {
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
    const values = new Float64Array(buffer, begin * 8, rows);
    if (nulls === 0) return { kind: 'numeric', values, nulls, infinities, infiniteRows };
    const bits = new Uint8Array((rows + 7) >> 3);
    const slotBits = new Uint8Array(naBits[c]!);
    before = 0;
    pieces.forEach((piece, i) => {
      copyBits(slotBits, starts[i]! + piece.first, bits, before, piece.rows);
      before += piece.rows;
    });
    for (let b = 0; b < bits.length; b++) bits[b] = ~bits[b]! & 0xff; // NA bits to Arrow's validity bits
    if (rows & 7) bits[bits.length - 1]! &= (1 << (rows & 7)) - 1; // the bits past the last row stay 0
    return { kind: 'numeric', values, nulls, infinities, infiniteRows, validity: bits };
  });
}

/** Copies bits [from, from + n) of `source` to bits [to, to + n) of `target` (bit i of a byte array is bit i % 8 of byte i / 8). */
export function copyBits(source: Uint8Array, from: number, target: Uint8Array, to: number, n: number): void {
  let i = 0;
  const copyOne = () => {
    const bit = (source[(from + i) >> 3]! >> ((from + i) & 7)) & 1;
    const at = (to + i) >> 3;
    target[at] = (target[at]! & ~(1 << ((to + i) & 7))) | (bit << ((to + i) & 7));
    i++;
  };
  while (i < n && ((to + i) & 7) !== 0) copyOne();
  const shift = (from + i) & 7;
  let s = (from + i) >> 3;
  for (let t = (to + i) >> 3; i + 8 <= n; i += 8, s++, t++) target[t] = shift === 0 ? source[s]! : ((source[s]! >> shift) | (source[s + 1]! << (8 - shift))) & 0xff;
  while (i < n) copyOne();
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
