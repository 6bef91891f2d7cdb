import type * as tfc from '@tensorflow/tfjs-core';
import {
  DEFAULT_ADAM, STOP_CHECK_EVERY, minibatchPlan, validateProblem,
  type BatchedProblem, type BatchedWeights, type TrainConfig, type TrainOutput, type ValidationSubset,
} from './mlp-core.js';

/** The tfjs module and the backend initTfjs (@panel-lab/compute-tfjs) set up; this package never picks one. */
export interface TfjsEngine {
  readonly tf: typeof tfc;
  readonly backend: string;
}

type T = tfc.Tensor;

/**
 * The batched trainer on tfjs (float32): same algorithm as trainBatchedReference, written as whole-ensemble
 * tensor ops — one [rows×p]·[p×M·h] matMul forward and one transposed matMul backward per epoch for all M
 * members, hand-written gradients, Adam/SGD and early-stopping snapshots kept on the device. With
 * minibatches (n > cfg.batchRows) each step gathers its rows on the device (tf.gather), so no tensor is
 * n × (M·h): the largest are batchRows × (M·h), and 2·batchRows × (M·h) for the validation subset.
 */
export async function trainBatchedTfjs(engine: TfjsEngine, prob: BatchedProblem, init: BatchedWeights, cfg: TrainConfig): Promise<TrainOutput> {
  validateProblem(prob, init, cfg);
  const { tf } = engine;
  if (tf.getBackend() !== engine.backend) {
    throw new Error(`tfjs backend is '${tf.getBackend()}' but the engine says '${engine.backend}': initialise it with initTfjs`);
  }
  const { n, p, members: M } = prob;
  const h = init.hidden;
  const H = M * h;
  const { beta1, beta2, epsilon } = { ...DEFAULT_ADAM, ...cfg };
  const f32 = (a: Float64Array) => Float32Array.from(a);
  const plan = minibatchPlan(prob, cfg);
  const hasVal = prob.valWeights !== undefined;
  // X with a ones column: the bias rides in the same product, forward and backward (two fewer n × M·h ops).
  const X = tf.tensor2d(withOnes(prob.x, n, p), [n, p + 1]);
  const Y = tf.tensor2d(f32(prob.y), [n, 1]);
  const TW = tf.tensor2d(f32(prob.trainWeights), [n, M]);
  const twSum = plan ? undefined : tf.sum(TW, 0);
  // X' kept once: the wasm backend's matMul with transposeA is about 10x slower than on a transposed copy.
  const XT = plan ? undefined : tf.transpose(X);
  // Full batch: validation weights on every row. Minibatch: the plan's fixed subset, gathered once.
  const VW = hasVal && !plan ? tf.tensor2d(f32(prob.valWeights!), [n, M]) : undefined;
  const vwSum = VW ? tf.sum(VW, 0) : undefined;
  const subset = plan?.validation ? uploadValidation(tf, X, Y, plan.validation) : undefined;
  const shapes: number[][] = [[p, H], [H], [M, h], [M]];
  let params: T[] = [init.w1, init.b1, init.w2, init.b2].map((a, k) => tf.tensor(f32(a), shapes[k]!));
  let mom: T[] = shapes.map((s) => tf.zeros(s));
  let vel: T[] = shapes.map((s) => tf.zeros(s));
  let best: T[] = params.map((a) => tf.clone(a));
  let bestVal: T = tf.fill([M], Infinity);
  let bestEpoch: T = tf.zeros([M], 'int32');
  let since: T = tf.zeros([M]);
  let active: T = tf.ones([M]);
  let trainLoss: T = tf.zeros([M]);
  const history: T[] = [];
  let epochsRun = 0;
  const dispose = (ts: T[]) => ts.forEach((t) => t.dispose());
  try {
    for (let t = 0; t < cfg.epochs; t++) {
      const batchRows = plan ? plan.next() : null;
      const step = tf.tidy(() => {
        const [w1, b1, w2, b2] = params as [T, T, T, T];
        const w2r = tf.reshape(w2, [1, M, h]);
        const w1b = tf.concat([w1, tf.reshape(b1, [1, H])], 0); // [p + 1, H]
        const tanh = cfg.activation === 'tanh';
        // tanh(a) = 2·sigmoid(2a) − 1 with the factors folded into the small weights: the wasm backend's
        // tanh is a scalar libm call (~30 ns an element), its sigmoid is vectorised. For tanh, `hid`
        // below is s = sigmoid(2·pre); out = Σ 2·w2·s + b2 − Σ w2.
        const forward = (x: T, rows: number) => {
          const pre = tf.matMul(x, tanh ? tf.mul(w1b, 2) : w1b); // [rows, H] (2·pre for tanh)
          const hid = tanh ? tf.sigmoid(pre) : activation(tf, cfg.activation, pre);
          const hid3 = tf.reshape(hid, [rows, M, h]);
          const out = tanh
            ? tf.add(tf.sum(tf.mul(hid3, tf.mul(w2r, 2)), 2), tf.sub(b2, tf.sum(w2, 1)))
            : tf.add(tf.sum(tf.mul(hid3, w2r), 2), b2);
          return { pre, hid, hid3, out }; // out: [rows, M]
        };
        let Xb = X, XbT = XT!, Yb = Y, TWb = TW, twSumB = twSum!;
        if (batchRows) {
          const idx = tf.tensor1d(batchRows, 'int32');
          [Xb, Yb, TWb] = [tf.gather(X, idx), tf.gather(Y, idx), tf.gather(TW, idx)];
          XbT = tf.transpose(Xb);
          const s = tf.sum(TWb, 0);
          twSumB = tf.where(tf.greater(s, 0), s, tf.onesLike(s)); // a member without rows here: zero loss and gradient
        }
        const nb = batchRows ? batchRows.length : n;
        const { pre, hid, hid3, out } = forward(Xb, nb);
        const e = tf.sub(out, Yb);
        const e2 = tf.square(e);
        const loss = tf.div(tf.sum(tf.mul(TWb, e2), 0), twSumB);
        let valLoss: T | undefined;
        if (VW && vwSum) valLoss = tf.div(tf.sum(tf.mul(VW, e2), 0), vwSum);
        if (subset) {
          const ev = tf.sub(forward(subset.x, subset.rows).out, subset.y);
          valLoss = tf.div(tf.sum(tf.mul(subset.w, tf.square(ev)), 0), subset.sums);
        }
        let snap = { best, bestVal, bestEpoch, since, active };
        if (valLoss) {
          const isActive = tf.greater(active, 0);
          const improved = tf.logicalAnd(tf.less(valLoss, bestVal), isActive);
          const sinceNext = tf.where(improved, tf.zerosLike(since), tf.add(since, tf.cast(isActive, 'float32')));
          const unitImproved = tf.reshape(tf.tile(tf.reshape(improved, [M, 1]), [1, h]), [H]);
          const masks = [tf.broadcastTo(tf.reshape(unitImproved, [1, H]), [p, H]), unitImproved, tf.reshape(unitImproved, [M, h]), improved];
          snap = {
            best: params.map((w, k) => tf.where(masks[k]!, w, best[k]!)),
            bestVal: tf.where(improved, valLoss, bestVal),
            bestEpoch: tf.where(improved, tf.fill([M], t, 'int32'), bestEpoch),
            since: sinceNext,
            active: tf.mul(active, tf.cast(tf.less(sinceNext, cfg.patience), 'float32')),
          };
        }
        // gradients of the weighted MSE
        const r = tf.div(tf.mul(tf.mul(e, TWb), 2), twSumB); // [nb, M]
        const r3 = tf.reshape(r, [nb, M, 1]);
        const gb2 = tf.sum(r, 0);
        // tanh: hid = 2s − 1, so Σ hid·r = 2 Σ s·r − Σ r, and 1 − hid² = 4 s (1 − s)
        const gw2 = tanh ? tf.sub(tf.mul(tf.sum(tf.mul(hid3, r3), 0), 2), tf.sum(r3, 0)) : tf.sum(tf.mul(hid3, r3), 0); // [M, h]
        const dPre = tanh
          ? tf.mul(tf.reshape(tf.mul(r3, tf.mul(w2r, 4)), [nb, H]), tf.mul(hid, tf.sub(1, hid)))
          : tf.mul(tf.reshape(tf.mul(r3, w2r), [nb, H]), activationGrad(tf, cfg.activation, hid, pre));
        const gw1b = tf.matMul(XbT, dPre); // [p + 1, H]: the last row is the bias gradient
        const gw1 = tf.slice(gw1b, [0, 0], [p, H]);
        const gb1 = tf.reshape(tf.slice(gw1b, [p, 0], [1, H]), [H]);
        const grads = [gw1, gb1, gw2, gb2];
        let nextParams: T[];
        let nextMom = mom;
        let nextVel = vel;
        if (cfg.optimizer === 'sgd') {
          nextParams = params.map((w, k) => tf.sub(w, tf.mul(grads[k]!, cfg.learningRate)));
        } else {
          const bc1 = 1 - beta1 ** (t + 1);
          const bc2 = 1 - beta2 ** (t + 1);
          nextMom = mom.map((m, k) => tf.add(tf.mul(m, beta1), tf.mul(grads[k]!, 1 - beta1)));
          nextVel = vel.map((v, k) => tf.add(tf.mul(v, beta2), tf.mul(tf.square(grads[k]!), 1 - beta2)));
          nextParams = params.map((w, k) => tf.sub(w, tf.div(
            tf.mul(tf.div(nextMom[k]!, bc1), cfg.learningRate),
            tf.add(tf.sqrt(tf.div(nextVel[k]!, bc2)), epsilon))));
        }
        return { params: nextParams, mom: nextMom, vel: nextVel, loss, meanLoss: tf.mean(loss), ...snap };
      });
      const old: T[] = [...params, trainLoss];
      if (cfg.optimizer === 'adam') old.push(...mom, ...vel);
      if (hasVal) old.push(...best, bestVal, bestEpoch, since, active);
      dispose(old);
      ({ params, mom, vel, best, bestVal, bestEpoch, since, active } = step);
      trainLoss = step.loss;
      history.push(step.meanLoss);
      epochsRun = t + 1;
      cfg.onEpoch?.(epochsRun, cfg.epochs);
      if (hasVal && (t + 1) % STOP_CHECK_EVERY === 0) {
        const liveT = tf.sum(active);
        const live = (await liveT.data())[0]!;
        liveT.dispose();
        if (live === 0) break;
      }
    }
    const final = hasVal ? best : params;
    const read = async (a: T) => Float64Array.from(await a.data());
    const [w1, b1, w2, b2] = await Promise.all(final.map(read)) as [Float64Array, Float64Array, Float64Array, Float64Array];
    const stacked = tf.stack(history);
    const hist = Array.from(await stacked.data());
    stacked.dispose();
    return {
      weights: { members: M, hidden: h, inputs: p, w1, b1, w2: w2, b2 },
      epochsRun,
      bestEpoch: hasVal ? Int32Array.from(await bestEpoch.data()) : new Int32Array(M).fill(epochsRun - 1),
      finalTrainLoss: await read(trainLoss),
      bestValLoss: hasVal ? await read(bestVal) : new Float64Array(M).fill(NaN),
      lossHistory: hist,
      engine: `tfjs-${engine.backend}`,
      ...(plan ? { minibatch: { batchRows: plan.batchRows, validationRows: subset?.rows ?? 0, validationFallbackMembers: plan.validation?.fallbackMembers ?? 0 } } : {}),
    };
  } finally {
    // dispose() on an already-disposed tensor is a no-op, so shared references are safe here.
    dispose([X, Y, TW, ...(twSum ? [twSum] : []), ...(XT ? [XT] : []), ...(VW ? [VW, vwSum!] : []), ...(subset ? [subset.x, subset.y, subset.w, subset.sums] : []), ...params, ...mom, ...vel, trainLoss, ...history]);
    dispose([...best, bestVal, bestEpoch, since, active]);
  }
}

/** The validation subset on the device: its rows of X and y, weights and their sums (fixed for the whole run). */
function uploadValidation(tf: typeof tfc, X: T, Y: T, v: ValidationSubset): { rows: number; x: T; y: T; w: T; sums: T } {
  const S = v.rows.length;
  const M = v.sums.length;
  return tf.tidy(() => {
    const idx = tf.tensor1d(v.rows, 'int32');
    return { rows: S, x: tf.gather(X, idx), y: tf.gather(Y, idx), w: tf.tensor2d(Float32Array.from(v.weights), [S, M]), sums: tf.tensor1d(Float32Array.from(v.sums)) };
  });
}

/** Sigmoid and relu (tanh is folded into the forward pass above). */
function activation(tf: typeof tfc, a: TrainConfig['activation'], pre: T): T {
  if (a === 'sigmoid') return tf.sigmoid(pre);
  return tf.relu(pre);
}

function activationGrad(tf: typeof tfc, a: TrainConfig['activation'], hid: T, pre: T): T {
  if (a === 'sigmoid') return tf.mul(hid, tf.sub(1, hid));
  return tf.cast(tf.greater(pre, 0), 'float32');
}

/** Row-major n × p inputs as float32 with a ones column appended (n × (p + 1)). */
function withOnes(x: Float64Array, n: number, p: number): Float32Array {
  const out = new Float32Array(n * (p + 1));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) out[i * (p + 1) + j] = x[i * p + j]!;
    out[i * (p + 1) + p] = 1;
  }
  return out;
}
