import { Bool, DataType, Precision, makeVector, Dictionary, Float, Int, Table, Utf8, LargeUtf8, Float64, type Vector } from 'apache-arrow';
import { categoricalVector, nanAtNulls, numericVector } from './columns.js';
import { factorizeNumbers, factorizeStrings } from './frame.js';
import { PanelError } from './errors.js';

/**
 * Brings a table read from Parquet or Arrow IPC to the frame's storage rules: numeric columns as
 * one Float64 chunk with NaN at nulls, text as Int32 dictionary codes. Columns already in that form
 * are kept as they are (zero-copy); others are copied once here, so later `numeric()` calls are views.
 */
export function normalizeTable(table: Table, categorical: readonly string[] = []): Table {
  const vectors: Record<string, Vector> = {};
  for (const field of table.schema.fields) {
    const name = field.name;
    const vector = table.getChild(name)!;
    const type = field.type as DataType;
    if (categorical.includes(name)) {
      vectors[name] = toCategorical(name, vector, type);
    } else if (type instanceof Float || type instanceof Int || type instanceof Bool) {
      vectors[name] = isFrameFloat(vector, type) ? vector : numericVector(toFloat64(vector));
    } else if (type instanceof Utf8 || type instanceof LargeUtf8 || type instanceof Dictionary) {
      vectors[name] = isFrameDictionary(vector, type) ? vector : toCategorical(name, vector, type);
    } else {
      throw new PanelError(
        `column '${name}' has unsupported type ${String(type)}; supported: integers, floats, booleans (as 0/1), text and dictionary text`,
        { column: name },
      );
    }
  }
  for (const name of categorical) {
    if (!table.schema.fields.some((f) => f.name === name)) {
      throw new PanelError(`categorical column '${name}' not found; columns are: ${table.schema.fields.map((f) => f.name).join(', ')}`, { column: name });
    }
  }
  return new Table(vectors);
}

function isFrameFloat(vector: Vector, type: DataType): boolean {
  return type instanceof Float64 && vector.data.length === 1 && nanAtNulls(vector.data[0]!);
}

function isFrameDictionary(vector: Vector, type: DataType): boolean {
  return type instanceof Dictionary && type.indices.bitWidth === 32 && type.indices.isSigned && vector.data.length === 1 && type.dictionary instanceof Utf8;
}

/** One Float64 buffer from any numeric chunks, NaN at nulls; typed chunks are copied in bulk. */
function toFloat64(vector: Vector): Float64Array {
  const out = new Float64Array(vector.length);
  let at = 0;
  for (const data of vector.data) {
    const values = data.values as ArrayLike<number> | BigInt64Array | BigUint64Array;
    // Float32/64 and Int8..32 buffers convert with a bulk set; Float16 (Uint16 storage), Int64 (BigInt) and Bool (bits) go value by value.
    const plain = (data.type instanceof Float && data.type.precision !== Precision.HALF) || (data.type instanceof Int && data.type.bitWidth <= 32);
    if (plain && values.length >= data.length) {
      out.set((values as Float64Array).subarray(0, data.length), at);
    } else {
      let i = 0;
      for (const v of makeVector(data) as Iterable<number | bigint | boolean | null>) out[at + i++] = v === null ? Number.NaN : Number(v);
    }
    if (data.nullCount > 0) {
      for (let i = 0; i < data.length; i++) if (!data.getValid(i)) out[at + i] = Number.NaN;
    }
    at += data.length;
  }
  return out;
}

function toCategorical(name: string, vector: Vector, type: DataType): Vector {
  if (type instanceof Float || type instanceof Int || type instanceof Bool) {
    const { codes, levels } = factorizeNumbers(toFloat64(vector));
    return categoricalVector(codes, levels);
  }
  if (type instanceof Utf8 || type instanceof LargeUtf8 || type instanceof Dictionary) {
    const strings = Array.from(vector, (v) => (v === null || v === undefined ? null : String(v)));
    const { codes, levels } = factorizeStrings(strings);
    return categoricalVector(codes, levels);
  }
  throw new PanelError(`column '${name}' has unsupported type ${String(type)} for a categorical column`, { column: name });
}
