import { createRng, permutation, sampleWithoutReplacement } from '@panel-lab/compute';

export type Activation = 'tanh' | 'sigmoid' | 'relu';
export type Optimizer = 'adam' | 'sgd';

/**
 * M one-hidden-layer networks trained at once. Parameters are stacked so that the hidden layer of all
 * members is ONE matrix product X[n×p] · W1[p×(M·h)] (column m·h+u = unit u of member m): the batched
 * shape a GPU wants, and on CPU no slower than a loop over members.
 */
export interface BatchedWeights {
  readonly members: number;
  readonly hidden: number;
  readonly inputs: number;
  /** p × (M·h), row-major. */
  readonly w1: Float64Array;
  /** M·h */
  readonly b1: Float64Array;
  /** M·h (member m's output weights at m·h … m·h+h-1). */
  readonly w2: Float64Array;
  /** M */
  readonly b2: Float64Array;
}

export interface TrainConfig {
  readonly epochs: number;
  readonly optimizer: Optimizer;
  readonly learningRate: number;
  readonly activation: Activation;
  /** Early-stopping patience in epochs on the validation weights (ignored without them). */
  readonly patience: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  /** Called after each epoch (progress of long trainings; epochs is the maximum, early stopping may end sooner). */
  readonly onEpoch?: (epoch: number, epochs: number) => void;
  /**
   * Minibatches: when the problem has more rows than this, each epoch is ONE gradient step on this many
   * rows (see minibatchPlan). Absent or n ≤ batchRows: full batch, the seed-scale path, unchanged.
   */
  readonly batchRows?: number;
  /** Seed of the minibatch schedule and of the validation subset (default 0). */
  readonly batchSeed?: number;
}

/**
 * A batched full-batch problem. Each member m sees every row i with weight trainWeights[i·M+m]
 * (bootstrap counts × cluster membership), so members may train on different resamples of the same X
 * without gathering; validation rows carry valWeights instead (0 in trainWeights).
 */
export interface BatchedProblem {
  readonly n: number;
  readonly p: number;
  readonly members: number;
  /** Row-major n×p, already scaled. */
  readonly x: Float64Array;
  /** n, already scaled. */
  readonly y: Float64Array;
  /** n×M row-major. */
  readonly trainWeights: Float64Array;
  readonly valWeights?: Float64Array;
}

export interface TrainOutput {
  /** Each member's best-validation weights (or the last epoch's without validation). */
  readonly weights: BatchedWeights;
  /** Epochs actually run (training stops once every member has stopped; checked every STOP_CHECK_EVERY epochs). */
  readonly epochsRun: number;
  /** Per member: epoch of the returned weights. */
  readonly bestEpoch: Int32Array;
  /** Per member: weighted training MSE (scaled units) at the last epoch run (minibatches: on that step's rows, 0 for a member without rows there). */
  readonly finalTrainLoss: Float64Array;
  /** Per member: best validation MSE (NaN without validation). */
  readonly bestValLoss: Float64Array;
  /** Mean over members of the training MSE, per epoch run. */
  readonly lossHistory: readonly number[];
  readonly engine: string;
  /** Present only when minibatches were used (see minibatchPlan). */
  readonly minibatch?: MinibatchInfo;
}

export interface MinibatchInfo {
  /** Rows per gradient step (one step per epoch). */
  readonly batchRows: number;
  /** Rows of the fixed validation subset (0 without validation weights). */
  readonly validationRows: number;
  /** Members with no validation weight in the subset, validated on their training weights there instead. */
  readonly validationFallbackMembers: number;
}

/** Both trainers look for "everyone stopped" only at these epochs, so they run the same number of epochs. */
export const STOP_CHECK_EVERY = 10;

export const DEFAULT_ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

/** Glorot-uniform weights, zero biases; member m draws from stream m of the seed (independent of M). */
export function glorotInit(args: { inputs: number; hidden: number; members: number; seed: number; memberOffset?: number }): BatchedWeights {
  const { inputs: p, hidden: h, members: M } = args;
  if (!(Number.isInteger(h) && h >= 1)) throw new Error(`option hidden must be a positive integer, got ${h}`);
  const w1 = new Float64Array(p * M * h);
  const w2 = new Float64Array(M * h);
  const root = createRng(args.seed);
  const lim1 = Math.sqrt(6 / (p + h));
  const lim2 = Math.sqrt(6 / (h + 1));
  for (let m = 0; m < M; m++) {
    const rng = root.stream(m + (args.memberOffset ?? 0));
    for (let j = 0; j < p; j++) for (let u = 0; u < h; u++) w1[j * M * h + m * h + u] = (2 * rng.uniform() - 1) * lim1;
    for (let u = 0; u < h; u++) w2[m * h + u] = (2 * rng.uniform() - 1) * lim2;
  }
  return { members: M, hidden: h, inputs: p, w1, b1: new Float64Array(M * h), w2, b2: new Float64Array(M) };
}

export function activate(a: Activation, v: number): number {
  if (a === 'tanh') return Math.tanh(v);
  if (a === 'sigmoid') return 1 / (1 + Math.exp(-v));
  return v > 0 ? v : 0;
}

/** The activation as a monomorphic function (chosen once, so V8 can inline it in hot loops). */
export function activationFunction(a: Activation): (v: number) => number {
  if (a === 'tanh') return Math.tanh;
  if (a === 'sigmoid') return (v) => 1 / (1 + Math.exp(-v));
  return (v) => (v > 0 ? v : 0);
}

/** Derivative expressed through the activation value (and pre-activation for ReLU). */
export function activationGrad(a: Activation, act: number, pre: number): number {
  if (a === 'tanh') return 1 - act * act;
  if (a === 'sigmoid') return act * (1 - act);
  return pre > 0 ? 1 : 0;
}

export function validateProblem(prob: BatchedProblem, w: BatchedWeights, cfg: TrainConfig): void {
  const { n, p, members: M } = prob;
  if (w.members !== M || w.inputs !== p) throw new Error(`initial weights are for ${w.members} members × ${w.inputs} inputs, problem has ${M} × ${p}`);
  if (prob.x.length !== n * p || prob.y.length !== n) throw new Error('problem x/y sizes do not match n and p');
  if (prob.trainWeights.length !== n * M) throw new Error(`trainWeights must be n×M = ${n * M} values`);
  if (prob.valWeights && prob.valWeights.length !== n * M) throw new Error(`valWeights must be n×M = ${n * M} values`);
  if (!(Number.isInteger(cfg.epochs) && cfg.epochs >= 1)) throw new Error(`option epochs must be a positive integer, got ${cfg.epochs}`);
  if (!(cfg.learningRate > 0)) throw new Error(`option learningRate must be > 0, got ${cfg.learningRate}`);
  if (!['adam', 'sgd'].includes(cfg.optimizer)) throw new Error(`option optimizer must be 'adam' or 'sgd', got '${cfg.optimizer}'`);
  if (cfg.batchRows !== undefined && !(Number.isInteger(cfg.batchRows) && cfg.batchRows >= 1)) throw new Error(`option batchRows must be a positive integer, got ${cfg.batchRows}`);
  if (!['tanh', 'sigmoid', 'relu'].includes(cfg.activation)) throw new Error(`option activation must be tanh, sigmoid or relu, got '${cfg.activation}'`);
  for (let m = 0; m < M; m++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += prob.trainWeights[i * M + m]!;
    if (!(s > 0)) throw new Error(`ensemble member ${m} has no training rows`);
  }
}

/** Forward pass of all members on row-major rows: out[i·M+m] (scaled units). */
export function forwardAll(w: BatchedWeights, act: Activation, x: Float64Array, n: number): Float64Array {
  const { inputs: p, members: M, hidden: h } = w;
  const H = M * h;
  const out = new Float64Array(n * M);
  const pre = new Float64Array(H);
  for (let i = 0; i < n; i++) {
    pre.set(w.b1);
    for (let j = 0; j < p; j++) {
      const xij = x[i * p + j]!;
      if (xij === 0) continue;
      const row = j * H;
      for (let c = 0; c < H; c++) pre[c] = pre[c]! + xij * w.w1[row + c]!;
    }
    for (let m = 0; m < M; m++) {
      let s = w.b2[m]!;
      for (let u = 0; u < h; u++) s += w.w2[m * h + u]! * activate(act, pre[m * h + u]!);
      out[i * M + m] = s;
    }
  }
  return out;
}

/**
 * One update of every parameter array in place, in float64: plain gradient descent, or Adam with
 * bias correction at step t (0-based). Moments `mom`/`vel` are updated in place.
 */
export function optimizerStep(
  params: readonly Float64Array[],
  grads: readonly Float64Array[],
  mom: readonly Float64Array[],
  vel: readonly Float64Array[],
  t: number,
  cfg: Pick<TrainConfig, 'optimizer' | 'learningRate' | 'beta1' | 'beta2' | 'epsilon'>,
): void {
  const { beta1, beta2, epsilon } = { ...DEFAULT_ADAM, ...cfg };
  const bc1 = 1 - beta1 ** (t + 1);
  const bc2 = 1 - beta2 ** (t + 1);
  params.forEach((theta, k) => {
    const g = grads[k]!;
    if (cfg.optimizer === 'sgd') {
      for (let c = 0; c < theta.length; c++) theta[c] = theta[c]! - cfg.learningRate * g[c]!;
      return;
    }
    const mk = mom[k]!;
    const vk = vel[k]!;
    for (let c = 0; c < theta.length; c++) {
      mk[c] = beta1 * mk[c]! + (1 - beta1) * g[c]!;
      vk[c] = beta2 * vk[c]! + (1 - beta2) * g[c]! * g[c]!;
      theta[c] = theta[c]! - (cfg.learningRate * (mk[c]! / bc1)) / (Math.sqrt(vk[c]! / bc2) + epsilon);
    }
  });
}

/** A member with no validation rows inside an expert early-stops on its training rows; counted, never silent. */
export function fillEmptyValidation(tw: Float64Array, vw: Float64Array, ne: number, M: number): number {
  let count = 0;
  for (let m = 0; m < M; m++) {
    let s = 0;
    for (let r = 0; r < ne; r++) s += vw[r * M + m]!;
    if (s > 0) continue;
    count++;
    for (let r = 0; r < ne; r++) vw[r * M + m] = tw[r * M + m]!;
  }
  return count;
}

/** The fixed rows on which a minibatch trainer measures validation loss for early stopping. */
export interface ValidationSubset {
  /** Problem rows, ascending. */
  readonly rows: Int32Array;
  /** rows.length × M: each member's validation weights on these rows (after the fallback below). */
  readonly weights: Float64Array;
  /** Per member: sum of its weights (always > 0). */
  readonly sums: Float64Array;
  /** Members that had no validation weight in the subset. */
  readonly fallbackMembers: number;
}

/** What both trainers need to run the same minibatch schedule on the same rows. */
export interface MinibatchPlan {
  readonly batchRows: number;
  /** The rows of the next step, ascending (call once per epoch, from epoch 0; the array is reused). */
  next(): Int32Array;
  readonly validation: ValidationSubset | null;
}

/**
 * The minibatch schedule, or null for full batch (no batchRows, or n ≤ batchRows). Each pass over the
 * data is a fresh seeded permutation cut into ⌊n / batchRows⌋ blocks of exactly batchRows rows (the
 * n mod batchRows rows left at the end of a pass wait for the next shuffle), so every step has the same
 * shape. Validation: a fixed seeded subset of min(n, 2·batchRows) rows, so an epoch costs O(batchRows),
 * not O(n). A member with no validation weight in it is validated on its training weights in the subset,
 * or, if it has none there either, on every subset row with weight 1; such members are counted.
 */
export function minibatchPlan(prob: BatchedProblem, cfg: Pick<TrainConfig, 'batchRows' | 'batchSeed'>): MinibatchPlan | null {
  const B = cfg.batchRows;
  const { n } = prob;
  if (B === undefined || n <= B) return null;
  const root = createRng(cfg.batchSeed ?? 0);
  const validation = prob.valWeights ? validationSubset(prob, sampleWithoutReplacement(root.stream(0), n, Math.min(n, 2 * B)).sort()) : null;
  const blocksPerPass = Math.floor(n / B);
  const shuffle = root.stream(1);
  const rows = new Int32Array(B);
  let order = permutation(shuffle, n);
  let block = 0;
  return {
    batchRows: B, validation,
    next() {
      if (block === blocksPerPass) { order = permutation(shuffle, n); block = 0; }
      rows.set(order.subarray(block * B, (block + 1) * B));
      block++;
      return rows.sort(); // ascending: cache-friendly gathers; the step's sum order is then fixed too
    },
  };
}

function validationSubset(prob: BatchedProblem, rows: Int32Array): ValidationSubset {
  const M = prob.members;
  const S = rows.length;
  const weights = new Float64Array(S * M);
  const sums = new Float64Array(M);
  let fallbackMembers = 0;
  for (let m = 0; m < M; m++) {
    const pick = (w: Float64Array | null) => {
      let s = 0;
      for (let r = 0; r < S; r++) {
        const v = w ? w[rows[r]! * M + m]! : 1;
        weights[r * M + m] = v;
        s += v;
      }
      return s;
    };
    let s = pick(prob.valWeights!);
    if (!(s > 0)) {
      fallbackMembers++;
      s = pick(prob.trainWeights);
      if (!(s > 0)) s = pick(null);
    }
    sums[m] = s;
  }
  return { rows, weights, sums, fallbackMembers };
}

/** Sum of weights per member over a block of nb rows (n×M layout); 1 where it is 0, so a member without
 *  rows in the block gets zero loss and zero gradient (every term it has is weight 0 × error). */
export function safeColumnSums(w: Float64Array, nb: number, M: number, out: Float64Array): Float64Array {
  out.fill(0);
  for (let i = 0; i < nb; i++) for (let m = 0; m < M; m++) out[m] = out[m]! + w[i * M + m]!;
  for (let m = 0; m < M; m++) if (!(out[m]! > 0)) out[m] = 1;
  return out;
}
