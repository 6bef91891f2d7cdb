/**
 * A dense column-major matrix: element (i, j) is data[j * rows + i]. Column-major because design
 * matrices are built column by column from Arrow vectors, and many-columns batches (placebo draws,
 * bootstrap weights) are appended as columns.
 */
export interface Mat {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array | Float32Array;
}

/** A Mat with its shape checked against its data. */
export function mat(rows: number, cols: number, data?: Float64Array | Float32Array): Mat {
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`mat: rows must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(cols) || cols < 0) throw new RangeError(`mat: cols must be a non-negative integer, got ${cols}`);
  const values = data ?? new Float64Array(rows * cols);
  if (values.length !== rows * cols) {
    throw new RangeError(`mat: data has ${values.length} values, expected rows*cols = ${rows}*${cols} = ${rows * cols}`);
  }
  return Object.freeze({ rows, cols, data: values });
}

/** Checks a Mat received from a caller; `what` names the argument in the error. */
export function assertMat(m: Mat, what: string): void {
  if (!m || typeof m !== 'object' || !(m.data instanceof Float64Array || m.data instanceof Float32Array)) {
    throw new TypeError(`${what}: expected a Mat { rows, cols, data: Float64Array | Float32Array }`);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new RangeError(`${what}: data has ${m.data.length} values, expected rows*cols = ${m.rows}*${m.cols}`);
  }
}

/** A copy of column j as a Float64Array. */
export function matColumn(m: Mat, j: number): Float64Array {
  if (j < 0 || j >= m.cols) throw new RangeError(`matColumn: column ${j} out of range 0..${m.cols - 1}`);
  return Float64Array.from(m.data.subarray(j * m.rows, (j + 1) * m.rows));
}

/** Element (i, j). */
export function matGet(m: Mat, i: number, j: number): number {
  return m.data[j * m.rows + i]!;
}

/** Mat from row-major nested arrays (tests, small literals). */
export function matFromRows(rows: readonly (readonly number[])[]): Mat {
  const r = rows.length;
  const c = rows[0]?.length ?? 0;
  const data = new Float64Array(r * c);
  rows.forEach((row, i) => {
    if (row.length !== c) throw new RangeError(`matFromRows: row ${i} has ${row.length} values, expected ${c}`);
    row.forEach((v, j) => (data[j * r + i] = v));
  });
  return mat(r, c, data);
}

/**
 * Per-column scale factors (root mean square, 1 for an all-zero column). float32 backends divide by
 * these before upload and multiply results back in float64, so f32 kernels only see O(1) numbers.
 */
export function columnScales(m: Mat): Float64Array {
  const s = new Float64Array(m.cols);
  for (let j = 0; j < m.cols; j++) {
    let ss = 0;
    const off = j * m.rows;
    for (let i = 0; i < m.rows; i++) ss += m.data[off + i]! ** 2;
    const rms = Math.sqrt(ss / Math.max(1, m.rows));
    s[j] = rms > 0 && Number.isFinite(rms) ? rms : 1;
  }
  return s;
}

/** Each column divided by its scale, as float32 (the only form an f32 kernel receives). */
export function scaledFloat32(m: Mat, scales: Float64Array): Float32Array {
  const out = new Float32Array(m.rows * m.cols);
  for (let j = 0; j < m.cols; j++) {
    const inv = 1 / scales[j]!;
    const off = j * m.rows;
    for (let i = 0; i < m.rows; i++) out[off + i] = m.data[off + i]! * inv;
  }
  return out;
}
