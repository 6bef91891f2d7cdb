import { Dictionary, Float64, Int32, Utf8, makeData, makeVector, vectorFromArray, type Vector } from 'apache-arrow';

/**
 * A Float64 vector whose null bitmap mirrors NaN, with NaN kept in the value buffer, so that
 * `PanelFrame.numeric` can hand out the buffer itself (zero-copy) with the NA mask inside it.
 * `knownNulls`: the number of NaN in `values` when the caller already counted them (a streaming
 * reader does, while copying), which saves a pass over the column.
 */
export function numericVector(values: Float64Array, knownNulls?: number): Vector {
  let nulls = knownNulls ?? 0;
  if (knownNulls === undefined) for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) nulls++;
  if (nulls === 0) return makeVector(values);
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) bitmap[i >> 3]! |= 1 << (i & 7);
  return makeVector(makeData({ type: new Float64(), length: values.length, nullCount: nulls, data: values, nullBitmap: bitmap }));
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
