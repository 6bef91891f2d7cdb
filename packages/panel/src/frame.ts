import { Dictionary, Float64, Table, Utf8, type Vector } from 'apache-arrow';
import { categoricalVector, nanAtNulls, numericVector } from './columns.js';
import { PanelError } from './errors.js';

/** Integer codes of a categorical column: exactly the fixed-effect codes estimators need. */
export interface Codes {
  /** Code per row in 0..levels.length-1; -1 marks a missing value. */
  readonly codes: Int32Array;
  readonly levels: readonly string[];
}

export interface PanelSchema {
  readonly unit: string;
  readonly time: string;
}

/** A column given in memory: numbers (NaN/null = missing) become Float64, strings become dictionary-encoded. */
export type ColumnInput =
  | Float64Array
  | Int32Array
  | readonly (number | null | undefined)[]
  | readonly (string | null | undefined)[];

/**
 * An immutable panel over an Arrow table. Numeric columns are Float64 with NaN at missing
 * positions (so the zero-copy Float64Array view carries the NA mask); categorical columns are
 * dictionary-encoded with Int32 indices.
 */
export class PanelFrame {
  readonly table: Table;
  readonly schema: PanelSchema;
  readonly #codeCache = new Map<string, Codes>();

  private constructor(table: Table, schema: PanelSchema) {
    this.table = table;
    this.schema = schema;
  }

  /** Wraps an Arrow table; checks that the unit and time columns exist. */
  static fromTable(table: Table, schema: PanelSchema): PanelFrame {
    for (const role of ['unit', 'time'] as const) {
      const name = schema[role];
      if (!table.schema.fields.some((f) => f.name === name)) {
        throw new PanelError(
          `${role} column '${name}' not found; columns are: ${table.schema.fields.map((f) => f.name).join(', ')}`,
          { column: name },
        );
      }
    }
    return new PanelFrame(table, schema);
  }

  /** Builds a frame from in-memory columns of equal length. */
  static fromColumns(columns: Record<string, ColumnInput>, schema: PanelSchema): PanelFrame {
    const names = Object.keys(columns);
    if (names.length === 0) throw new PanelError('no columns given');
    const length = columns[names[0]!]!.length;
    const vectors: Record<string, Vector> = {};
    for (const name of names) {
      const values = columns[name]!;
      if (values.length !== length) {
        throw new PanelError(`column '${name}' has ${values.length} values, expected ${length}`, { column: name });
      }
      vectors[name] = toVector(name, values);
    }
    return PanelFrame.fromTable(new Table(vectors), schema);
  }

  /** Builds a frame from row objects; each column's type is taken from its non-missing values. */
  static fromRows(rows: readonly Record<string, unknown>[], schema: PanelSchema): PanelFrame {
    if (rows.length === 0) throw new PanelError('no rows given');
    const names = Object.keys(rows[0]!);
    const columns: Record<string, ColumnInput> = {};
    for (const name of names) {
      const values = rows.map((r) => r[name]);
      const isString = values.some((v) => typeof v === 'string');
      columns[name] = isString
        ? values.map((v) => (v === null || v === undefined ? null : String(v)))
        : values.map((v, i) => {
            if (v === null || v === undefined) return null;
            if (typeof v !== 'number') {
              throw new PanelError(`column '${name}' row ${i}: expected a number, got ${typeof v}`, { column: name, rows: [i] });
            }
            return v;
          });
    }
    return PanelFrame.fromColumns(columns, schema);
  }

  get nrows(): number {
    return this.table.numRows;
  }

  get columnNames(): string[] {
    return this.table.schema.fields.map((f) => f.name);
  }

  has(name: string): boolean {
    return this.table.schema.fields.some((f) => f.name === name);
  }

  isCategorical(name: string): boolean {
    return this.field(name).type instanceof Dictionary || this.field(name).type instanceof Utf8;
  }

  /**
   * A numeric column as Float64Array (NaN = missing). Zero-copy when the column is a single
   * Float64 chunk; otherwise (several chunks, or an integer column) a copy is made.
   */
  numeric(name: string): Float64Array {
    const field = this.field(name);
    if (this.isCategorical(name)) {
      throw new PanelError(`column '${name}' is categorical, not numeric`, { column: name });
    }
    const vector = this.table.getChild(name)!;
    if (field.type instanceof Float64 && vector.data.length === 1) {
      // Arrow already slices the value buffer to the chunk's offset; it may be padded past its length.
      const data = vector.data[0]!;
      const stored = data.values as Float64Array;
      const values = stored.length === data.length ? stored : stored.subarray(0, data.length);
      if (nanAtNulls(data)) return values;
    }
    // Documented copy: several chunks, a sliced buffer, non-Float64 storage or nulls without NaN.
    const out = new Float64Array(vector.length);
    let i = 0;
    for (const value of vector) {
      out[i++] = value === null || value === undefined ? Number.NaN : Number(value);
    }
    return out;
  }

  /** Integer codes of any column (categorical: dictionary order; numeric: sorted distinct values). */
  codes(name: string): Codes {
    const cached = this.#codeCache.get(name);
    if (cached) return cached;
    const result = this.isCategorical(name) ? this.#dictionaryCodes(name) : factorizeNumbers(this.numeric(name));
    this.#codeCache.set(name, result);
    return result;
  }

  /** Values of a column as plain JS values (strings for categorical, numbers with NaN otherwise). */
  values(name: string): (string | number | null)[] {
    if (!this.isCategorical(name)) return Array.from(this.numeric(name));
    const { codes, levels } = this.codes(name);
    return Array.from(codes, (c) => (c < 0 ? null : levels[c]!));
  }

  /** Returns a new frame with columns added or replaced. */
  withColumns(columns: Record<string, ColumnInput>): PanelFrame {
    const vectors: Record<string, Vector> = {};
    for (const name of this.columnNames) vectors[name] = this.table.getChild(name)!;
    for (const [name, values] of Object.entries(columns)) {
      if (values.length !== this.nrows) {
        throw new PanelError(`column '${name}' has ${values.length} values, expected ${this.nrows}`, { column: name });
      }
      vectors[name] = toVector(name, values);
    }
    return new PanelFrame(new Table(vectors), this.schema);
  }

  /** Returns a new frame without the named columns (unit and time cannot be dropped). */
  withoutColumns(names: readonly string[]): PanelFrame {
    for (const name of names) {
      this.field(name);
      if (name === this.schema.unit || name === this.schema.time) {
        throw new PanelError(`cannot drop the ${name === this.schema.unit ? 'unit' : 'time'} column '${name}'`, { column: name });
      }
    }
    const keep = this.columnNames.filter((n) => !names.includes(n));
    return new PanelFrame(this.table.select(keep), this.schema);
  }

  /** Returns a new frame with the rows at the given indices, in that order (unused categorical levels dropped). */
  takeRows(indices: ArrayLike<number>): PanelFrame {
    const vectors: Record<string, Vector> = {};
    for (const name of this.columnNames) {
      if (this.isCategorical(name)) {
        const { codes, levels } = this.codes(name);
        // Levels no kept row uses are dropped (as R's droplevels), so codes stay dense fixed-effect ids.
        const remap = new Int32Array(levels.length).fill(-1);
        const kept: string[] = [];
        const out = new Int32Array(indices.length);
        for (let k = 0; k < indices.length; k++) {
          const c = codes[indices[k]!]!;
          if (c >= 0 && remap[c] === -1) remap[c] = 0;
        }
        for (let c = 0; c < levels.length; c++) if (remap[c] === 0) remap[c] = kept.push(levels[c]!) - 1;
        for (let k = 0; k < indices.length; k++) {
          const c = codes[indices[k]!]!;
          out[k] = c < 0 ? -1 : remap[c]!;
        }
        vectors[name] = categoricalVector(out, kept);
      } else {
        const src = this.numeric(name);
        const out = new Float64Array(indices.length);
        for (let k = 0; k < indices.length; k++) out[k] = src[indices[k]!]!;
        vectors[name] = numericVector(out);
      }
    }
    return new PanelFrame(new Table(vectors), this.schema);
  }

  /** Returns a new frame keeping the rows where keep(i) is true. */
  filterRows(keep: (row: number) => boolean): PanelFrame {
    const idx: number[] = [];
    for (let i = 0; i < this.nrows; i++) if (keep(i)) idx.push(i);
    return this.takeRows(idx);
  }

  field(name: string) {
    const field = this.table.schema.fields.find((f) => f.name === name);
    if (!field) {
      throw new PanelError(`column '${name}' not found; columns are: ${this.columnNames.join(', ')}`, { column: name });
    }
    return field;
  }

  #dictionaryCodes(name: string): Codes {
    const vector = this.table.getChild(name)!;
    const type = this.field(name).type;
    if (type instanceof Dictionary && vector.data.length === 1) {
      const data = vector.data[0]!;
      const dict = data.dictionary!;
      const levels = Array.from(dict, (v) => String(v));
      const stored = (data.values as Int32Array | Int16Array | Int8Array | Uint32Array).subarray(0, data.length);
      // Int32 indices are used in place; narrower or unsigned ones (from foreign files) are widened once.
      const raw = stored instanceof Int32Array ? stored : Int32Array.from(stored);
      if (vector.nullCount === 0) return { codes: raw, levels };
      const codes = new Int32Array(raw.length);
      for (let i = 0; i < raw.length; i++) codes[i] = vector.isValid(i) ? raw[i]! : -1;
      return { codes, levels };
    }
    // Several chunks or plain strings: re-encode (documented copy).
    return factorizeStrings(Array.from(vector, (v) => (v === null || v === undefined ? null : String(v))));
  }
}

function toVector(name: string, values: ColumnInput): Vector {
  if (values instanceof Float64Array) return numericVector(values);
  if (values instanceof Int32Array) return numericVector(Float64Array.from(values));
  const arr = values as readonly unknown[];
  const firstDefined = arr.find((v) => v !== null && v !== undefined);
  if (typeof firstDefined === 'string') {
    const strings = arr.map((v, i) => {
      if (v === null || v === undefined) return null;
      if (typeof v !== 'string') {
        throw new PanelError(`column '${name}' row ${i}: mixes strings and ${typeof v}`, { column: name, rows: [i] });
      }
      return v;
    });
    const { codes, levels } = factorizeStrings(strings);
    return categoricalVector(codes, levels);
  }
  const out = new Float64Array(arr.length);
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (v === null || v === undefined) out[i] = Number.NaN;
    else if (typeof v === 'number') out[i] = v;
    else throw new PanelError(`column '${name}' row ${i}: expected a number, got ${typeof v}`, { column: name, rows: [i] });
  }
  return numericVector(out);
}

/** Codes for numbers, levels in ascending numeric order (NaN -> -1). */
export function factorizeNumbers(values: Float64Array): Codes {
  return factorizeIntegers(values) ?? factorizeByMap(values);
}

/** Fast path for integer ids/years over a modest range: rank by a presence table, no hashing. */
function factorizeIntegers(values: Float64Array): Codes | null {
  const n = values.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    // NaN (missing) fails both tests; a fraction or -0 sends the column to the map path, ±Infinity to the range test
    if (Math.floor(v) !== v) {
      if (v === v) return null;
    } else if (v === 0 && 1 / v < 0) return null;
  }
  if (min === Infinity && max === -Infinity) return { codes: new Int32Array(n).fill(-1), levels: [] };
  const range = max - min + 1;
  if (!(range <= 4 * n + 1024 && range <= 2 ** 28)) return null;
  // v - min is an integer below 2^28: `| 0` makes the index an int (a double index is slower)
  const rank = new Int32Array(range).fill(-1);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v === v) rank[(v - min) | 0] = 0;
  }
  const levels: string[] = [];
  for (let k = 0; k < range; k++) if (rank[k] === 0) rank[k] = levels.push(String(k + min)) - 1;
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    codes[i] = v === v ? rank[(v - min) | 0]! : -1;
  }
  return { codes, levels };
}

function factorizeByMap(values: Float64Array): Codes {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) seen.add(v);
  }
  const distinct = Float64Array.from(seen).sort();
  const index = new Map<number, number>();
  for (let k = 0; k < distinct.length; k++) index.set(distinct[k]!, k);
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    codes[i] = v === v ? index.get(v)! : -1;
  }
  return { codes, levels: Array.from(distinct, String) };
}

/** Codes for strings, levels in first-appearance order (null -> -1). */
export function factorizeStrings(values: readonly (string | null)[]): Codes {
  const index = new Map<string, number>();
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      codes[i] = -1;
      continue;
    }
    let c = index.get(v);
    if (c === undefined) {
      c = index.size;
      index.set(v, c);
    }
    codes[i] = c;
  }
  return { codes, levels: Array.from(index.keys()) };
}
