import {
  STOP_CHECK_EVERY, activate, activationGrad, optimizerStep, validateProblem,
  type BatchedProblem, type BatchedWeights, type TrainConfig, type TrainOutput,
} from './mlp-core.js';

/**
 * The float64 reference trainer: full-batch gradient descent (Adam or plain SGD) of M stacked networks,
 * with per-member early stopping on validation weights. Same algorithm, step for step, as the tfjs trainer.
 */
export function trainBatchedReference(prob: BatchedProblem, init: BatchedWeights, cfg: TrainConfig): TrainOutput {
  validateProblem(prob, init, cfg);
  const { n, p, members: M, x, y, trainWeights: tw, valWeights: vw } = prob;
  const h = init.hidden;
  const H = M * h;
  const act = cfg.activation;
    const params = [Float64Array.from(init.w1), Float64Array.from(init.b1), Float64Array.from(init.w2), Float64Array.from(init.b2)];
  const [w1, b1, w2, b2] = params as [Float64Array, Float64Array, Float64Array, Float64Array];
  const grads = params.map((a) => new Float64Array(a.length));
  const [g1, gb1, g2, gb2] = grads as [Float64Array, Float64Array, Float64Array, Float64Array];
  const mom = params.map((a) => new Float64Array(a.length));
  const vel = params.map((a) => new Float64Array(a.length));
  const best = params.map((a) => Float64Array.from(a));
  const twSum = columnSums(tw, n, M);
  const vwSum = vw ? columnSums(vw, n, M) : undefined;
  const bestVal = new Float64Array(M).fill(vw ? Infinity : NaN);
  const bestEpoch = new Int32Array(M);
  const since = new Int32Array(M);
  const active = new Uint8Array(M).fill(1);
  const pre = new Float64Array(n * H);
  const hid = new Float64Array(n * H);
  const out = new Float64Array(n * M);
  const r = new Float64Array(n * M);
  const trainLoss = new Float64Array(M);
  const valLoss = new Float64Array(M);
  const lossHistory: number[] = [];
  let epochsRun = 0;
  for (let t = 0; t < cfg.epochs; t++) {
    // forward
    for (let i = 0; i < n; i++) {
      const o = i * H;
      for (let c = 0; c < H; c++) pre[o + c] = b1[c]!;
      for (let j = 0; j < p; j++) {
        const xij = x[i * p + j]!;
        const row = j * H;
        for (let c = 0; c < H; c++) pre[o + c] = pre[o + c]! + xij * w1[row + c]!;
      }
      applyActivation(act, pre, hid, o, H);
      for (let m = 0; m < M; m++) {
        let s = b2[m]!;
        for (let u = 0; u < h; u++) s += w2[m * h + u]! * hid[o + m * h + u]!;
        out[i * M + m] = s;
      }
    }
    trainLoss.fill(0);
    valLoss.fill(0);
    for (let i = 0; i < n; i++) for (let m = 0; m < M; m++) {
      const e = out[i * M + m]! - y[i]!;
      trainLoss[m] = trainLoss[m]! + (tw[i * M + m]! * e * e) / twSum[m]!;
      if (vw) valLoss[m] = valLoss[m]! + (vw[i * M + m]! * e * e) / vwSum![m]!;
      r[i * M + m] = (2 * tw[i * M + m]! * e) / twSum[m]!;
    }
    lossHistory.push(mean(trainLoss));
    if (vw) {
      for (let m = 0; m < M; m++) {
        if (!active[m]) continue;
        if (valLoss[m]! < bestVal[m]!) {
          bestVal[m] = valLoss[m]!;
          bestEpoch[m] = t;
          since[m] = 0;
          copyMember(params, best, m, h, p, M);
        } else if (++since[m]! >= cfg.patience) {
          active[m] = 0;
        }
      }
    }
    // backward
    g1.fill(0); gb1.fill(0); g2.fill(0); gb2.fill(0);
    const dPre = new Float64Array(H);
    for (let i = 0; i < n; i++) {
      const o = i * H;
      for (let m = 0; m < M; m++) {
        const ri = r[i * M + m]!;
        gb2[m] = gb2[m]! + ri;
        for (let u = 0; u < h; u++) {
          const c = m * h + u;
          g2[c] = g2[c]! + hid[o + c]! * ri;
          dPre[c] = ri * w2[c]!;
        }
      }
      multiplyActivationGrad(act, dPre, hid, pre, o, H);
      for (let c = 0; c < H; c++) gb1[c] = gb1[c]! + dPre[c]!;
      for (let j = 0; j < p; j++) {
        const xij = x[i * p + j]!;
        const row = j * H;
        for (let c = 0; c < H; c++) g1[row + c] = g1[row + c]! + xij * dPre[c]!;
      }
    }
    // update (every member keeps stepping; stopped members' returned weights are their snapshots)
    optimizerStep(params, grads, mom, vel, t, cfg);
    epochsRun = t + 1;
    if (vw && (t + 1) % STOP_CHECK_EVERY === 0 && active.every((a) => a === 0)) break;
  }
  const final = vw ? best : params;
  return {
    weights: { members: M, hidden: h, inputs: p, w1: final[0]!, b1: final[1]!, w2: final[2]!, b2: final[3]! },
    epochsRun, bestEpoch: vw ? bestEpoch : new Int32Array(M).fill(epochsRun - 1),
    finalTrainLoss: Float64Array.from(trainLoss), bestValLoss: bestVal, lossHistory, engine: 'f64-reference',
  };
}

// Activation loops specialised per function (no per-element dispatch): this is the hot loop of the reference.
function applyActivation(act: TrainConfig['activation'], pre: Float64Array, hid: Float64Array, o: number, H: number): void {
  if (act === 'tanh') for (let c = 0; c < H; c++) hid[o + c] = Math.tanh(pre[o + c]!);
  else if (act === 'sigmoid') for (let c = 0; c < H; c++) hid[o + c] = 1 / (1 + Math.exp(-pre[o + c]!));
  else for (let c = 0; c < H; c++) hid[o + c] = activate('relu', pre[o + c]!);
}

function multiplyActivationGrad(act: TrainConfig['activation'], d: Float64Array, hid: Float64Array, pre: Float64Array, o: number, H: number): void {
  if (act === 'tanh') for (let c = 0; c < H; c++) { const a = hid[o + c]!; d[c] = d[c]! * (1 - a * a); }
  else if (act === 'sigmoid') for (let c = 0; c < H; c++) { const a = hid[o + c]!; d[c] = d[c]! * a * (1 - a); }
  else for (let c = 0; c < H; c++) d[c] = d[c]! * activationGrad('relu', hid[o + c]!, pre[o + c]!);
}

function columnSums(w: Float64Array, n: number, M: number): Float64Array {
  const s = new Float64Array(M);
  for (let i = 0; i < n; i++) for (let m = 0; m < M; m++) s[m] = s[m]! + w[i * M + m]!;
  return s;
}

function mean(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s / a.length;
}

function copyMember(src: Float64Array[], dst: Float64Array[], m: number, h: number, p: number, M: number): void {
  const H = M * h;
  for (let j = 0; j < p; j++) for (let u = 0; u < h; u++) dst[0]![j * H + m * h + u] = src[0]![j * H + m * h + u]!;
  for (let u = 0; u < h; u++) {
    dst[1]![m * h + u] = src[1]![m * h + u]!;
    dst[2]![m * h + u] = src[2]![m * h + u]!;
  }
  dst[3]![m] = src[3]![m]!;
}
