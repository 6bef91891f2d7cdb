import {
  DEFAULT_CHUNK_SIZE,
  createRng,
  drawWeight,
  levelCount,
  mat,
  type KernelAttrs,
  type KernelInputs,
  type Mat,
} from '@panel-lab/compute';
import { segmentSumImpl } from './linalg.js';

/** Cluster sums S (G x k) of the influence functions (rows are their own clusters without codes). */
export function clusterSums(inputs: KernelInputs<'MultiplierBootstrap'>): Mat {
  const { inf, clusterCodes } = inputs;
  if (!clusterCodes) return inf;
  const nSegments = inputs.nClusters ?? levelCount(clusterCodes, 'clusterCodes');
  return segmentSumImpl({ x: inf, segments: clusterCodes, nSegments });
}

/**
 * theta* = V'S / n (draws x k). The weights are drawn in the same order as multiplierWeights()
 * (chunk k from stream k, draw after draw, cluster after cluster) but streamed, never stored:
 * memory stays O(G k) whatever the number of draws.
 */
export function multiplierBootstrapImpl(
  inputs: KernelInputs<'MultiplierBootstrap'>,
  attrs: KernelAttrs<'MultiplierBootstrap'>,
): Mat {
  const s = clusterSums(inputs);
  const g = s.rows;
  const k = s.cols;
  const draws = attrs.draws;
  const chunkSize = attrs.chunkSize ?? DEFAULT_CHUNK_SIZE;
  // Row-major copy of S so each cluster's k sums are contiguous.
  const sr = new Float64Array(g * k);
  for (let j = 0; j < k; j++) for (let c = 0; c < g; c++) sr[c * k + j] = s.data[j * g + c]!;
  const out = new Float64Array(draws * k);
  const acc = new Float64Array(k);
  const inv = 1 / inputs.inf.rows;
  const root = createRng(attrs.seed);
  for (let start = 0, chunk = (attrs.firstDraw ?? 0) / chunkSize; start < draws; start += chunkSize, chunk++) {
    const rng = root.stream(chunk);
    const end = Math.min(draws, start + chunkSize);
    for (let b = start; b < end; b++) {
      acc.fill(0);
      for (let c = 0; c < g; c++) {
        const w = drawWeight(rng, attrs.weights);
        const off = c * k;
        for (let j = 0; j < k; j++) acc[j]! += w * sr[off + j]!;
      }
      for (let j = 0; j < k; j++) out[j * draws + b] = acc[j]! * inv;
    }
  }
  return mat(draws, k, out);
}
