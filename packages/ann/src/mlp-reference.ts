import {
  STOP_CHECK_EVERY, activate, activationGrad, minibatchPlan, optimizerStep, safeColumnSums, validateProblem,
  type BatchedProblem, type BatchedWeights, type TrainConfig, type TrainOutput, type ValidationSubset,
} from './mlp-core.js';

/**
 * The float64 reference trainer: gradient descent (Adam or plain SGD) of M stacked networks, with per-member
 * early stopping on validation weights; full batch, or one minibatch step per epoch when n > cfg.batchRows
 * (minibatchPlan). Same algorithm, step for step and row for row, as the tfjs trainer. Work buffers are
 * sized by the rows of one step, so minibatch memory does not grow with n.
 */
export function trainBatchedReference(prob: BatchedProblem, init: BatchedWeights, cfg: TrainConfig): TrainOutput {
  validateProblem(prob, init, cfg);
  const { n, p, members: M, valWeights: vw } = prob;
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
  const plan = minibatchPlan(prob, cfg);
  const nb = plan ? plan.batchRows : n;
  // Full batch: the step's block is the problem itself; minibatch: a block of nb gathered rows per step.
  const block: Block = plan
    ? { x: new Float64Array(nb * p), y: new Float64Array(nb), tw: new Float64Array(nb * M), twSum: new Float64Array(M) }
    : { x: prob.x, y: prob.y, tw: prob.trainWeights, twSum: columnSums(prob.trainWeights, n, M) };
  const val = plan?.validation ? gatherValidation(prob, plan.validation) : null;
  const vwSum = vw && !plan ? columnSums(vw, n, M) : undefined;
  const hasVal = vw !== undefined;
  const bestVal = new Float64Array(M).fill(hasVal ? Infinity : NaN);
  const bestEpoch = new Int32Array(M);
  const since = new Int32Array(M);
  const active = new Uint8Array(M).fill(1);
  const pre = new Float64Array(nb * H);
  const hid = new Float64Array(nb * H);
  const out = new Float64Array(nb * M);
  const r = new Float64Array(nb * M);
  const trainLoss = new Float64Array(M);
  const valLoss = new Float64Array(M);
  const lossHistory: number[] = [];
  const net: Net = { w1, b1, w2, b2, p, M, h, act };
  let epochsRun = 0;
  for (let t = 0; t < cfg.epochs; t++) {
    if (plan) {
      // validation first (it borrows the step buffers), then this step's rows
      if (val) validationLoss(net, val, nb, pre, hid, out, valLoss);
      gatherBlock(prob, plan.next(), block);
    }
    forwardBlock(net, block.x, 0, nb, pre, hid, out);
    trainLoss.fill(0);
    if (!plan) valLoss.fill(0);
    const { x, y, tw, twSum } = block;
    for (let i = 0; i < nb; i++) for (let m = 0; m < M; m++) {
      const e = out[i * M + m]! - y[i]!;
      trainLoss[m] = trainLoss[m]! + (tw[i * M + m]! * e * e) / twSum[m]!;
      if (vw && !plan) valLoss[m] = valLoss[m]! + (vw[i * M + m]! * e * e) / vwSum![m]!;
      r[i * M + m] = (2 * tw[i * M + m]! * e) / twSum[m]!;
    }
    lossHistory.push(mean(trainLoss));
    if (hasVal) {
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
    for (let i = 0; i < nb; i++) {
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
    cfg.onEpoch?.(epochsRun, cfg.epochs);
    if (hasVal && (t + 1) % STOP_CHECK_EVERY === 0 && active.every((a) => a === 0)) break;
  }
  const final = hasVal ? best : params;
  return {
    weights: { members: M, hidden: h, inputs: p, w1: final[0]!, b1: final[1]!, w2: final[2]!, b2: final[3]! },
    epochsRun, bestEpoch: hasVal ? bestEpoch : new Int32Array(M).fill(epochsRun - 1),
    finalTrainLoss: Float64Array.from(trainLoss), bestValLoss: bestVal, lossHistory, engine: 'f64-reference',
    ...(plan ? { minibatch: { batchRows: nb, validationRows: val ? val.n : 0, validationFallbackMembers: plan.validation?.fallbackMembers ?? 0 } } : {}),
  };
}

interface Net {
  readonly w1: Float64Array; readonly b1: Float64Array; readonly w2: Float64Array; readonly b2: Float64Array;
  readonly p: number; readonly M: number; readonly h: number; readonly act: TrainConfig['activation'];
}

/** The rows one step trains on: row-major x (nb×p), y, weights (nb×M) and their per-member sums. */
interface Block { readonly x: Float64Array; readonly y: Float64Array; readonly tw: Float64Array; readonly twSum: Float64Array }

/** Forward pass of rows row0 … row0+nb-1 of x into pre/hid (nb×H) and out (nb×M). */
function forwardBlock(net: Net, x: Float64Array, row0: number, nb: number, pre: Float64Array, hid: Float64Array, out: Float64Array): void {
  const { w1, b1, w2, b2, p, M, h, act } = net;
  const H = M * h;
  for (let i = 0; i < nb; i++) {
    const o = i * H;
    for (let c = 0; c < H; c++) pre[o + c] = b1[c]!;
    for (let j = 0; j < p; j++) {
      const xij = x[(row0 + i) * p + j]!;
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
}

function gatherBlock(prob: BatchedProblem, rows: Int32Array, block: Block): void {
  const { p, members: M } = prob;
  rows.forEach((i, k) => {
    block.x.set(prob.x.subarray(i * p, (i + 1) * p), k * p);
    block.y[k] = prob.y[i]!;
    block.tw.set(prob.trainWeights.subarray(i * M, (i + 1) * M), k * M);
  });
  safeColumnSums(block.tw, rows.length, M, block.twSum);
}

interface ValidationBlock { readonly n: number; readonly x: Float64Array; readonly y: Float64Array; readonly vw: Float64Array; readonly sums: Float64Array }

function gatherValidation(prob: BatchedProblem, v: ValidationSubset): ValidationBlock {
  const { p } = prob;
  const S = v.rows.length;
  const x = new Float64Array(S * p);
  const y = new Float64Array(S);
  v.rows.forEach((i, k) => { x.set(prob.x.subarray(i * p, (i + 1) * p), k * p); y[k] = prob.y[i]!; });
  return { n: S, x, y, vw: v.weights, sums: v.sums };
}

/** Weighted validation MSE per member on the subset, forwarded in chunks of at most `chunk` rows (the step buffers). */
function validationLoss(net: Net, v: ValidationBlock, chunk: number, pre: Float64Array, hid: Float64Array, out: Float64Array, loss: Float64Array): void {
  const M = net.M;
  loss.fill(0);
  for (let row0 = 0; row0 < v.n; row0 += chunk) {
    const nb = Math.min(chunk, v.n - row0);
    forwardBlock(net, v.x, row0, nb, pre, hid, out);
    for (let i = 0; i < nb; i++) for (let m = 0; m < M; m++) {
      const e = out[i * M + m]! - v.y[row0 + i]!;
      loss[m] = loss[m]! + (v.vw[(row0 + i) * M + m]! * e * e) / v.sums[m]!;
    }
  }
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
