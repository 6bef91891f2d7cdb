/**
 * Column sinks: a column filled chunk by chunk from a streaming reader (DuckDB hands out 2,048-row
 * chunks). Values go into fixed-size blocks, so nothing is ever re-copied while the column grows and
 * no row count is needed up front; `finish()` joins the blocks once into the frame's single buffer,
 * dropping each block as it is copied (peak: the column plus one block).
 */

/** Rows per block past the first: 64k rows = 512 KiB of Float64, small next to any column worth streaming. */
export const DEFAULT_BLOCK_ROWS = 65_536;

/** Bit i of a validity mask (LSB first within each byte, as Arrow and DuckDB store it) is 1 when row i holds a value. */
function isValid(validity: Uint8Array, i: number): boolean {
  return (validity[i >> 3]! & (1 << (i & 7))) !== 0;
}

abstract class BlockSink<T extends Float64Array | Int32Array> {
  protected readonly blocks: T[] = [];
  protected current: T;
  protected at = 0;
  length = 0;

  /** `firstBlockRows`: the expected row count when known (e.g. from the file size), so a column usually fills one block. */
  constructor(
    protected readonly blockRows: number,
    firstBlockRows = blockRows,
  ) {
    if (!(Number.isInteger(blockRows) && blockRows > 0)) throw new RangeError(`blockRows must be a positive integer, got ${blockRows}`);
    this.current = this.allocate(Math.max(1, Math.ceil(firstBlockRows)));
  }

  protected abstract newBlock(): T;
  protected abstract allocate(n: number): T;

  /** Room left in the current block (opens a new one when full). */
  protected room(): number {
    if (this.at === this.current.length) {
      this.blocks.push(this.current);
      this.current = this.newBlock();
      this.at = 0;
    }
    return this.current.length - this.at;
  }

  /**
   * The whole column as one buffer. The sink is empty afterwards. A single block with at most 1/8
   * unused is handed out as a view (no copy); otherwise the blocks are joined into an exact-length buffer.
   */
  finish(): T {
    if (this.blocks.length === 0 && this.current.length - this.at <= this.current.length / 8) {
      const only = this.at === this.current.length ? this.current : (this.current.subarray(0, this.at) as T);
      this.current = this.allocate(0);
      this.at = 0;
      return only;
    }
    const out = this.allocate(this.length);
    let offset = 0;
    for (let b = 0; b < this.blocks.length; b++) {
      out.set(this.blocks[b]!, offset);
      offset += this.blocks[b]!.length;
      this.blocks[b] = this.allocate(0); // let the block go before the next copy
    }
    out.set(this.current.subarray(0, this.at), offset);
    this.current = this.allocate(0);
    this.blocks.length = 0;
    this.at = 0;
    return out;
  }
}

/** How many rows holding +-Infinity a numeric sink remembers (error messages list five). */
const INFINITE_ROWS_KEPT = 5;

/**
 * A numeric column: Float64 values with NaN where the source row is null. While copying it counts the
 * missing (NaN) and infinite values, so the frame needs no further pass over the column to build its
 * null mask or to check for +-Infinity.
 */
export class NumericSink extends BlockSink<Float64Array> {
  /** Rows holding NaN (null in the source, or NaN itself). */
  nulls = 0;
  /** Rows holding +-Infinity, and the first of them (0-based). */
  infinities = 0;
  readonly infiniteRows: number[] = [];

  protected newBlock(): Float64Array {
    return new Float64Array(this.blockRows);
  }

  protected allocate(n: number): Float64Array {
    return new Float64Array(n);
  }

  /** Appends `values` (a chunk); `validity` null means every row holds a value. */
  append(values: Float64Array, validity: Uint8Array | null): void {
    let from = 0;
    while (from < values.length) {
      const k = Math.min(values.length - from, this.room());
      const block = this.current;
      const at = this.at;
      block.set(values.subarray(from, from + k), at);
      if (validity) {
        for (let i = 0; i < k; i++) if (!isValid(validity, from + i)) block[at + i] = Number.NaN;
      }
      // One branch-free pass over the block just written (still in cache): v * 0 is NaN exactly for NaN
      // and +-Infinity, so the sum is NaN when any value is; those rare blocks are counted apart.
      let probe = 0;
      for (let i = 0; i < k; i++) probe += block[at + i]! * 0;
      if (probe !== probe) this.countOdd(block, at, k, this.length + from);
      this.at += k;
      from += k;
    }
    this.length += values.length;
  }

  /** Splits the non-finite values of block[at, at + k) (rows firstRow...) into missing and infinite; off the main loop, as they are rare. */
  private countOdd(block: Float64Array, at: number, k: number, firstRow: number): void {
    for (let i = 0; i < k; i++) {
      const v = block[at + i]!;
      if (v !== v) this.nulls++;
      else if (v - v !== 0) {
        if (this.infinities++ < INFINITE_ROWS_KEPT) this.infiniteRows.push(firstRow + i);
      }
    }
  }
}

/** A categorical column: Int32 codes (-1 = missing) over levels in order of first appearance. */
export class CategoricalSink extends BlockSink<Int32Array> {
  private readonly levelIndex = new Map<string, number>();

  protected newBlock(): Int32Array {
    return new Int32Array(this.blockRows);
  }

  protected allocate(n: number): Int32Array {
    return new Int32Array(n);
  }

  /** Appends `count` rows whose values `valueAt(i)` gives (null = missing). */
  append(count: number, valueAt: (i: number) => string | null): void {
    let from = 0;
    while (from < count) {
      const k = Math.min(count - from, this.room());
      const block = this.current;
      for (let i = 0; i < k; i++) block[this.at + i] = this.codeOf(valueAt(from + i));
      this.at += k;
      from += k;
    }
    this.length += count;
  }

  private codeOf(value: string | null): number {
    if (value === null) return -1;
    let code = this.levelIndex.get(value);
    if (code === undefined) {
      code = this.levelIndex.size;
      this.levelIndex.set(value, code);
    }
    return code;
  }

  get levels(): string[] {
    return Array.from(this.levelIndex.keys());
  }
}
