import { mat, type KernelInputs, type Mat } from '@panel-lab/compute';

/** a'b (a'a when b is absent) in float64; dot products over contiguous columns. */
export function crossProdImpl(inputs: KernelInputs<'CrossProd'>): Mat {
  const { a } = inputs;
  const b = inputs.b ?? a;
  const n = a.rows;
  const symmetric = inputs.b === undefined;
  const out = new Float64Array(a.cols * b.cols);
  for (let j = 0; j < b.cols; j++) {
    const bj = b.data.subarray(j * n, (j + 1) * n);
    for (let i = symmetric ? j : 0; i < a.cols; i++) {
      const ai = a.data.subarray(i * n, (i + 1) * n);
      let s = 0;
      for (let r = 0; r < n; r++) s += ai[r]! * bj[r]!;
      out[j * a.cols + i] = s;
      if (symmetric) out[i * a.cols + j] = s;
    }
  }
  return mat(a.cols, b.cols, out);
}

/** Row sums within each segment: nSegments x cols. */
export function segmentSumImpl(inputs: KernelInputs<'SegmentSum'>): Mat {
  const { x, segments, nSegments } = inputs;
  const n = x.rows;
  const out = new Float64Array(nSegments * x.cols);
  for (let j = 0; j < x.cols; j++) {
    const off = j * nSegments;
    const col = x.data.subarray(j * n, (j + 1) * n);
    for (let i = 0; i < n; i++) out[off + segments[i]!]! += col[i]!;
  }
  return mat(nSegments, x.cols, out);
}

/** Sums of the rows of x picked by index, groupSize indices per group: groups x cols. */
export function gatherSumImpl(inputs: KernelInputs<'GatherSum'>): Mat {
  const { x, index, groupSize } = inputs;
  const groups = index.length / groupSize;
  const out = new Float64Array(groups * x.cols);
  for (let j = 0; j < x.cols; j++) {
    const col = x.data.subarray(j * x.rows, (j + 1) * x.rows);
    for (let g = 0; g < groups; g++) {
      let s = 0;
      for (let r = g * groupSize, end = r + groupSize; r < end; r++) s += col[index[r]!]!;
      out[j * groups + g] = s;
    }
  }
  return mat(groups, x.cols, out);
}

/** Rows of x picked by index: index.length x cols. */
export function gatherImpl(inputs: KernelInputs<'Gather'>): Mat {
  const { x, index } = inputs;
  const m = index.length;
  const out = new Float64Array(m * x.cols);
  for (let j = 0; j < x.cols; j++) {
    const off = j * x.rows;
    for (let r = 0; r < m; r++) out[j * m + r] = x.data[off + index[r]!]!;
  }
  return mat(m, x.cols, out);
}
