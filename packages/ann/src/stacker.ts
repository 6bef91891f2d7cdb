import { createRng } from '@panel-lab/compute';
import { STOP_CHECK_EVERY, activationFunction, activationGrad, optimizerStep, type TrainConfig } from './mlp-core.js';

/**
 * The final network of SOM mode 'stacked' (METHODS §18.4.4), one per member. Unlike the experts its
 * inputs differ per member (member m sees ITS experts' outputs), so it is stored per member:
 * w1[(m·q + e)·h + u], b1[m·h + u], w2[m·h + u], b2[m].
 */
export interface StackerWeights {
  readonly members: number;
  readonly hidden: number;
  /** q = number of expert outputs fed in. */
  readonly inputs: number;
  readonly w1: Float64Array;
  readonly b1: Float64Array;
  readonly w2: Float64Array;
  readonly b2: Float64Array;
}

export interface StackerOutput {
  readonly weights: StackerWeights;
  readonly epochsRun: number;
  readonly bestEpoch: Int32Array;
  readonly bestValLoss: Float64Array;
}

/** One member's stacker output (scaled units) for its q expert outputs o[0..q). */
export function stackerForward(w: StackerWeights, act: (v: number) => number, m: number, o: ArrayLike<number>): number {
  const { hidden: h, inputs: q } = w;
  let s = w.b2[m]!;
  for (let u = 0; u < h; u++) {
    let a = w.b1[m * h + u]!;
    for (let e = 0; e < q; e++) a += o[e]! * w.w1[(m * q + e) * h + u]!;
    s += w.w2[m * h + u]! * act(a);
  }
  return s;
}

/**
 * Trains all members' stackers at once (full batch, same Adam/SGD and per-member early stopping as the
 * expert trainers). x[(i·M + m)·q + e] = expert e's output for row i under member m; weights n×M.
 * Tiny (q ≤ units, hidden 2), so it always runs on the float64 path, whatever engine trained the experts.
 */
export function trainStacker(args: {
  n: number; members: number; inputs: number; hidden: number; x: Float64Array; y: Float64Array;
  trainWeights: Float64Array; valWeights?: Float64Array; cfg: TrainConfig; seed: number;
}): StackerOutput {
  const { n, members: M, inputs: q, hidden: h, x, y, trainWeights: tw, valWeights: vw, cfg } = args;
  const act = activationFunction(cfg.activation);
    const root = createRng(args.seed);
  const lim1 = Math.sqrt(6 / (q + h));
  const lim2 = Math.sqrt(6 / (h + 1));
  const w1 = new Float64Array(M * q * h);
  const w2 = new Float64Array(M * h);
  for (let m = 0; m < M; m++) {
    const rng = root.stream(m);
    for (let k = 0; k < q * h; k++) w1[m * q * h + k] = (2 * rng.uniform() - 1) * lim1;
    for (let u = 0; u < h; u++) w2[m * h + u] = (2 * rng.uniform() - 1) * lim2;
  }
  const params = [w1, new Float64Array(M * h), w2, new Float64Array(M)];
  const grads = params.map((a) => new Float64Array(a.length));
  const mom = params.map((a) => new Float64Array(a.length));
  const vel = params.map((a) => new Float64Array(a.length));
  const best = params.map((a) => Float64Array.from(a));
  const sums = (w: Float64Array) => {
    const s = new Float64Array(M);
    for (let i = 0; i < n; i++) for (let m = 0; m < M; m++) s[m] = s[m]! + w[i * M + m]!;
    return s;
  };
  const twSum = sums(tw);
  const vwSum = vw ? sums(vw) : undefined;
  for (let m = 0; m < M; m++) if (!(twSum[m]! > 0)) throw new Error(`stacker member ${m} has no training rows`);
  const bestVal = new Float64Array(M).fill(vw ? Infinity : NaN);
  const bestEpoch = new Int32Array(M);
  const since = new Int32Array(M);
  const active = new Uint8Array(M).fill(1);
  const valLoss = new Float64Array(M);
  const hid = new Float64Array(h);
  const pre = new Float64Array(h);
  let epochsRun = 0;
  for (let t = 0; t < cfg.epochs; t++) {
    const [W1, B1, W2, B2] = params as [Float64Array, Float64Array, Float64Array, Float64Array];
    const [G1, GB1, G2, GB2] = grads as [Float64Array, Float64Array, Float64Array, Float64Array];
    for (const g of grads) g.fill(0);
    valLoss.fill(0);
    for (let i = 0; i < n; i++) for (let m = 0; m < M; m++) {
      const wt = tw[i * M + m]!;
      const wv = vw ? vw[i * M + m]! : 0;
      if (wt === 0 && wv === 0) continue;
      const xo = (i * M + m) * q;
      let s = B2[m]!;
      for (let u = 0; u < h; u++) {
        let a = B1[m * h + u]!;
        for (let e = 0; e < q; e++) a += x[xo + e]! * W1[(m * q + e) * h + u]!;
        pre[u] = a;
        hid[u] = act(a);
        s += W2[m * h + u]! * hid[u]!;
      }
      const err = s - y[i]!;
      if (wv) valLoss[m] = valLoss[m]! + (wv * err * err) / vwSum![m]!;
      if (wt === 0) continue;
      const r = (2 * wt * err) / twSum[m]!;
      GB2[m] = GB2[m]! + r;
      for (let u = 0; u < h; u++) {
        G2[m * h + u] = G2[m * h + u]! + r * hid[u]!;
        const d = r * W2[m * h + u]! * activationGrad(cfg.activation, hid[u]!, pre[u]!);
        GB1[m * h + u] = GB1[m * h + u]! + d;
        for (let e = 0; e < q; e++) G1[(m * q + e) * h + u] = G1[(m * q + e) * h + u]! + d * x[xo + e]!;
      }
    }
    if (vw) for (let m = 0; m < M; m++) {
      if (!active[m]) continue;
      if (valLoss[m]! < bestVal[m]!) {
        bestVal[m] = valLoss[m]!;
        bestEpoch[m] = t;
        since[m] = 0;
        copyMember(params, best, m, q, h);
      } else if (++since[m]! >= cfg.patience) active[m] = 0;
    }
    optimizerStep(params, grads, mom, vel, t, cfg);
    epochsRun = t + 1;
    if (vw && (t + 1) % STOP_CHECK_EVERY === 0 && active.every((a) => a === 0)) break;
  }
  const final = vw ? best : params;
  return {
    weights: { members: M, hidden: h, inputs: q, w1: final[0]!, b1: final[1]!, w2: final[2]!, b2: final[3]! },
    epochsRun, bestEpoch: vw ? bestEpoch : new Int32Array(M).fill(epochsRun - 1), bestValLoss: bestVal,
  };
}

function copyMember(src: Float64Array[], dst: Float64Array[], m: number, q: number, h: number): void {
  for (let k = 0; k < q * h; k++) dst[0]![m * q * h + k] = src[0]![m * q * h + k]!;
  for (let u = 0; u < h; u++) {
    dst[1]![m * h + u] = src[1]![m * h + u]!;
    dst[2]![m * h + u] = src[2]![m * h + u]!;
  }
  dst[3]![m] = src[3]![m]!;
}
