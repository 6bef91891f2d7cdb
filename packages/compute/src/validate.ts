import { assertMat } from './mat.js';
import { DEFAULT_CHUNK_SIZE } from './multiplier.js';
import type { KernelAttrs, KernelInputs, KernelName } from './kernels.js';

/** Codes must be integers in [0, n): the error names the argument and the first bad row. */
export function assertCodes(codes: Int32Array, length: number, n: number, what: string): void {
  if (!(codes instanceof Int32Array)) throw new TypeError(`${what}: expected an Int32Array`);
  if (codes.length !== length) throw new RangeError(`${what}: has ${codes.length} entries, expected ${length}`);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c < 0 || c >= n) throw new RangeError(`${what}: row ${i} has code ${c}, outside 0..${n - 1}`);
  }
}

/** Number of levels of a code vector (max + 1); negative codes are rejected. */
export function levelCount(codes: Int32Array, what: string): number {
  let max = -1;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c < 0) throw new RangeError(`${what}: row ${i} has negative code ${c} (missing values must be dropped first)`);
    if (c > max) max = c;
  }
  return max + 1;
}

function assertPositiveInt(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${what} must be a positive integer, got ${v}`);
}

/** Checks a kernel's inputs and attributes once, for every backend (same errors everywhere). */
export function validateKernelArgs<K extends KernelName>(kernel: K, inputs: KernelInputs<K>, attrs: KernelAttrs<K>): void {
  switch (kernel) {
    case 'Demean': {
      const i = inputs as KernelInputs<'Demean'>;
      const a = attrs as KernelAttrs<'Demean'>;
      assertMat(i.x, 'Demean input x');
      if (!Array.isArray(i.feCodes) || i.feCodes.length === 0) throw new Error('Demean input feCodes: needs at least one fixed effect');
      i.feCodes.forEach((codes, q) => {
        if (!(codes instanceof Int32Array)) throw new TypeError(`Demean input feCodes[${q}]: expected an Int32Array`);
        if (codes.length !== i.x.rows) throw new RangeError(`Demean input feCodes[${q}]: has ${codes.length} rows, x has ${i.x.rows}`);
        levelCount(codes, `Demean input feCodes[${q}]`);
      });
      if (i.weights !== undefined) {
        if (i.weights.length !== i.x.rows) throw new RangeError(`Demean input weights: has ${i.weights.length} rows, x has ${i.x.rows}`);
        i.weights.forEach((w, r) => {
          if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`Demean input weights: row ${r} has weight ${w}; weights must be finite and >= 0`);
        });
      }
      if (!(a.tol > 0)) throw new RangeError(`Demean attr tol must be > 0, got ${a.tol}`);
      assertPositiveInt(a.maxIter, 'Demean attr maxIter');
      if (a.accel !== undefined && a.accel !== 'irons-tuck' && a.accel !== 'none') {
        throw new RangeError(`Demean attr accel must be 'irons-tuck' or 'none', got ${String(a.accel)}`);
      }
      return;
    }
    case 'CrossProd': {
      const i = inputs as KernelInputs<'CrossProd'>;
      assertMat(i.a, 'CrossProd input a');
      if (i.b !== undefined) {
        assertMat(i.b, 'CrossProd input b');
        if (i.b.rows !== i.a.rows) throw new RangeError(`CrossProd input b: has ${i.b.rows} rows, a has ${i.a.rows}`);
      }
      return;
    }
    case 'SegmentSum': {
      const i = inputs as KernelInputs<'SegmentSum'>;
      assertMat(i.x, 'SegmentSum input x');
      assertPositiveInt(i.nSegments, 'SegmentSum input nSegments');
      assertCodes(i.segments, i.x.rows, i.nSegments, 'SegmentSum input segments');
      return;
    }
    case 'MultiplierBootstrap': {
      const i = inputs as KernelInputs<'MultiplierBootstrap'>;
      const a = attrs as KernelAttrs<'MultiplierBootstrap'>;
      assertMat(i.inf, 'MultiplierBootstrap input inf');
      if (i.inf.rows === 0) throw new RangeError('MultiplierBootstrap input inf: has no rows');
      if (i.clusterCodes !== undefined) {
        const g = i.nClusters ?? levelCount(i.clusterCodes, 'MultiplierBootstrap input clusterCodes');
        assertCodes(i.clusterCodes, i.inf.rows, g, 'MultiplierBootstrap input clusterCodes');
      }
      assertPositiveInt(a.draws, 'MultiplierBootstrap attr draws');
      if (!Number.isInteger(a.seed)) throw new RangeError(`MultiplierBootstrap attr seed must be an integer, got ${a.seed}`);
      if (!['rademacher', 'mammen', 'webb'].includes(a.weights)) {
        throw new RangeError(`MultiplierBootstrap attr weights must be rademacher, mammen or webb, got ${String(a.weights)}`);
      }
      if (a.chunkSize !== undefined) assertPositiveInt(a.chunkSize, 'MultiplierBootstrap attr chunkSize');
      if (a.firstDraw !== undefined) {
        const chunk = a.chunkSize ?? DEFAULT_CHUNK_SIZE;
        if (!Number.isInteger(a.firstDraw) || a.firstDraw < 0 || a.firstDraw % chunk !== 0) {
          throw new RangeError(`MultiplierBootstrap attr firstDraw must be a non-negative multiple of chunkSize ${chunk}, got ${a.firstDraw}`);
        }
      }
      return;
    }
    case 'Gather': {
      const i = inputs as KernelInputs<'Gather'>;
      assertMat(i.x, 'Gather input x');
      if (!(i.index instanceof Int32Array)) throw new TypeError('Gather input index: expected an Int32Array');
      for (let r = 0; r < i.index.length; r++) {
        const v = i.index[r]!;
        if (v < 0 || v >= i.x.rows) throw new RangeError(`Gather input index: position ${r} is ${v}, outside rows 0..${i.x.rows - 1}`);
      }
      return;
    }
    case 'GatherSum': {
      const i = inputs as KernelInputs<'GatherSum'>;
      assertMat(i.x, 'GatherSum input x');
      if (!(i.index instanceof Int32Array)) throw new TypeError('GatherSum input index: expected an Int32Array');
      assertPositiveInt(i.groupSize, 'GatherSum input groupSize');
      if (i.index.length % i.groupSize !== 0) throw new RangeError(`GatherSum input index: length ${i.index.length} is not a multiple of groupSize ${i.groupSize}`);
      for (let r = 0; r < i.index.length; r++) {
        const v = i.index[r]!;
        if (v < 0 || v >= i.x.rows) throw new RangeError(`GatherSum input index: position ${r} is ${v}, outside rows 0..${i.x.rows - 1}`);
      }
      return;
    }
    default:
      throw new Error(`unknown kernel '${String(kernel)}'`);
  }
}

/** Values a kernel reads (used for the cpuThreshold forwarding rule). */
export function inputSize<K extends KernelName>(kernel: K, inputs: KernelInputs<K>): number {
  switch (kernel) {
    case 'Demean':
      return (inputs as KernelInputs<'Demean'>).x.data.length;
    case 'CrossProd': {
      const i = inputs as KernelInputs<'CrossProd'>;
      return i.a.data.length + (i.b?.data.length ?? 0);
    }
    case 'SegmentSum':
      return (inputs as KernelInputs<'SegmentSum'>).x.data.length;
    case 'MultiplierBootstrap':
      return (inputs as KernelInputs<'MultiplierBootstrap'>).inf.data.length;
    case 'Gather':
      return (inputs as KernelInputs<'Gather'>).index.length * (inputs as KernelInputs<'Gather'>).x.cols;
    case 'GatherSum':
      return (inputs as KernelInputs<'GatherSum'>).index.length * (inputs as KernelInputs<'GatherSum'>).x.cols;
    default:
      return 0;
  }
}
