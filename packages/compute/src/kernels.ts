import type { Mat } from './mat.js';

/** Multiplier-bootstrap weight distributions (all mean 0, variance 1). */
export type MultiplierWeights = 'rademacher' | 'mammen' | 'webb';

/**
 * Every kernel declared once with typed inputs, attributes and output (tfjs kernel_names.ts).
 * Backends implement a subset; the registry says which. Outputs are always float64 arrays (values
 * computed in float32 on f32 backends; the precision is recorded in the context's meta).
 */
export interface KernelSpecs {
  /** Within transform of every column of x by one or more fixed effects (codes 0..L-1 per FE). */
  Demean: {
    inputs: { x: Mat; feCodes: readonly Int32Array[]; weights?: Float64Array };
    /**
     * tol: stop when a full sweep changes no value by more than tol; maxIter caps the sweeps;
     * accel: Irons-Tuck extrapolation every second sweep (default 'irons-tuck', as fixest).
     */
    attrs: { tol: number; maxIter: number; accel?: 'irons-tuck' | 'none' };
    output: {
      x: Mat;
      converged: boolean;
      iterations: number;
      method: 'balanced-closed-form' | 'alternating-projections';
    };
  };
  /** a'b (a'a when b is absent): a is n x p, b is n x q, output p x q. */
  CrossProd: { inputs: { a: Mat; b?: Mat }; attrs: Record<string, never>; output: Mat };
  /** Sums of the rows of x within each segment (cluster): output nSegments x cols. */
  SegmentSum: {
    inputs: { x: Mat; segments: Int32Array; nSegments: number };
    attrs: Record<string, never>;
    output: Mat;
  };
  /**
   * theta*_b = (1/n) sum_c V_bc S_c with S_c the cluster sums of the influence functions
   * (rows of inf are observations; each row is its own cluster when clusterCodes is absent).
   * Weights come from multiplierWeights(): chunk k of draws uses createRng(seed).stream(k).
   * firstDraw (a multiple of chunkSize, default 0) lets workers compute draws
   * [firstDraw, firstDraw + draws) each; their outputs stacked equal one run. Output: draws x k.
   */
  MultiplierBootstrap: {
    inputs: { inf: Mat; clusterCodes?: Int32Array; nClusters?: number };
    attrs: { draws: number; seed: number; weights: MultiplierWeights; chunkSize?: number; firstDraw?: number };
    output: Mat;
  };
  /** Rows of x picked by index (a resample, or R resamples concatenated): output index.length x cols. */
  Gather: { inputs: { x: Mat; index: Int32Array }; attrs: Record<string, never>; output: Mat };
  /**
   * Sums of rows of x picked by index, in consecutive groups of groupSize indices (one group per
   * resample or placebo draw): output (index.length / groupSize) x cols. Fuses Gather and a segment
   * sum so the gathered rows never leave the device.
   */
  GatherSum: { inputs: { x: Mat; index: Int32Array; groupSize: number }; attrs: Record<string, never>; output: Mat };
}

export type KernelName = keyof KernelSpecs;
export type KernelInputs<K extends KernelName> = KernelSpecs[K]['inputs'];
export type KernelAttrs<K extends KernelName> = KernelSpecs[K]['attrs'];
export type KernelOutput<K extends KernelName> = KernelSpecs[K]['output'];

export const KERNEL_NAMES: readonly KernelName[] = Object.freeze([
  'Demean',
  'CrossProd',
  'SegmentSum',
  'MultiplierBootstrap',
  'Gather',
  'GatherSum',
] as const);
