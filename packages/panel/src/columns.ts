import { Dictionary, Float64, Int32, Utf8, makeData, makeVector, vectorFromArray, type Data, type Vector } from 'apache-arrow';

/**
 * A Float64 vector whose null bitmap mirrors NaN, with NaN kept in the value buffer, so that
 * `PanelFrame.numeric` can hand out the buffer itself (zero-copy) with the NA mask inside it.
 * `knownNulls`: the number of NaN in `values` when the caller already counted them (a streaming
 * reader does, while copying), which saves a pass over the column; `validity`: its Arrow validity
 * bits (set where a value is not NaN) when the reader built them.
 */
export function numericVector(values: Float64Array, knownNulls?: number, validity?: Uint8Array): Vector {
  let nulls = knownNulls ?? 0;
  if (knownNulls === undefined) for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) nulls++;
  if (nulls === 0) return makeVector(values);
  const nullBitmap = validity ?? validityOfNumbers(values);
  const vector = makeVector(makeData({ type: new Float64(), length: values.length, nullCount: nulls, data: values, nullBitmap }));
  nanAtNullsChecked.add(vector.data[0]!);
  return vector;
}

/** Arrow's validity bitmap of a column: bit i set where values[i] is not NaN (eight values per byte write). */
function validityOfNumbers(values: Float64Array): Uint8Array {
  const n = values.length;
  const bitmap = new Uint8Array((n + 7) >> 3);
  const full = n >> 3;
  for (let b = 0, i = 0; b < full; b++, i += 8) {
    bitmap[b] =
      (values[i] === values[i] ? 1 : 0) |
      (values[i + 1] === values[i + 1] ? 2 : 0) |
      (values[i + 2] === values[i + 2] ? 4 : 0) |
      (values[i + 3] === values[i + 3] ? 8 : 0) |
      (values[i + 4] === values[i + 4] ? 16 : 0) |
      (values[i + 5] === values[i + 5] ? 32 : 0) |
      (values[i + 6] === values[i + 6] ? 64 : 0) |
      (values[i + 7] === values[i + 7] ? 128 : 0);
  }
  for (let i = full << 3; i < n; i++) if (values[i] === values[i]) bitmap[i >> 3]! |= 1 << (i & 7);
  return bitmap;
}

/** Float64 chunks known to hold NaN at every null slot (built by numericVector, or checked once). */
const nanAtNullsChecked = new WeakSet<Data>();

/**
 * True when every null slot of a Float64 chunk already holds NaN in its value buffer, so the buffer
 * alone carries the NA mask (PanelFrame.numeric hands it out zero-copy). Chunks are immutable: the
 * answer is remembered.
 */
export function nanAtNulls(data: Data): boolean {
  if (data.nullCount === 0 || nanAtNullsChecked.has(data)) return true;
  const bitmap = data.nullBitmap;
  const values = data.values as Float64Array; // already sliced to the chunk's offset by Arrow
  if (bitmap && bitmap.length > 0) {
    for (let i = 0; i < data.length; i++) {
      const bit = i + data.offset;
      if ((bitmap[bit >> 3]! & (1 << (bit & 7))) === 0 && values[i] === values[i]) return false;
    }
  }
  nanAtNullsChecked.add(data);
  return true;
}

/** A dictionary-encoded (Int32 index, Utf8 levels) vector from codes (-1 = missing) and levels. */
export function categoricalVector(codes: Int32Array, levels: readonly string[]): Vector {
  let nulls = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i]! < 0) nulls++;
  const dictionary = vectorFromArray(levels as string[], new Utf8());
  const type = new Dictionary(new Utf8(), new Int32());
  if (nulls === 0) {
    return makeVector(makeData({ type, length: codes.length, nullCount: 0, data: codes, dictionary }));
  }
  const bitmap = new Uint8Array((codes.length + 7) >> 3);
  const data = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c >= 0) {
      bitmap[i >> 3]! |= 1 << (i & 7);
      data[i] = c;
    }
  }
  return makeVector(makeData({ type, length: codes.length, nullCount: nulls, data, nullBitmap: bitmap, dictionary }));
}
