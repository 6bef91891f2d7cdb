import type * as tfc from '@tensorflow/tfjs-core';
import {
  DEFAULT_ADAM, STOP_CHECK_EVERY, validateProblem,
  type BatchedProblem, type BatchedWeights, type TrainConfig, type TrainOutput,
} from './mlp-core.js';

/** The tfjs module and the backend initTfjs (@panel-lab/compute-tfjs) set up; this package never picks one. */
export interface TfjsEngine {
  readonly tf: typeof tfc;
  readonly backend: string;
}

type T = tfc.Tensor;

/**
 * The batched trainer on tfjs (float32): same algorithm as trainBatchedReference, written as whole-ensemble
 * tensor ops — one [n×p]·[p×M·h] matMul forward and one transposed matMul backward per epoch for all M
 * members, hand-written gradients, Adam/SGD and early-stopping snapshots kept on the device.
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
  const hasVal = prob.valWeights !== undefined;
  const X = tf.tensor2d(f32(prob.x), [n, p]);
  const Y = tf.tensor2d(f32(prob.y), [n, 1]);
  const TW = tf.tensor2d(f32(prob.trainWeights), [n, M]);
  const twSum = tf.sum(TW, 0);
  const VW = hasVal ? tf.tensor2d(f32(prob.valWeights!), [n, M]) : undefined;
  const vwSum = VW ? tf.sum(VW, 0) : undefined;
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
      const step = tf.tidy(() => {
        const [w1, b1, w2, b2] = params as [T, T, T, T];
        const pre = tf.add(tf.matMul(X, w1), b1); // [n, H]
        const hid = activation(tf, cfg.activation, pre);
        const hid3 = tf.reshape(hid, [n, M, h]);
        const w2r = tf.reshape(w2, [1, M, h]);
        const out = tf.add(tf.sum(tf.mul(hid3, w2r), 2), b2); // [n, M]
        const e = tf.sub(out, Y);
        const e2 = tf.square(e);
        const loss = tf.div(tf.sum(tf.mul(TW, e2), 0), twSum);
        let snap = { best, bestVal, bestEpoch, since, active };
        if (VW && vwSum) {
          const valLoss = tf.div(tf.sum(tf.mul(VW, e2), 0), vwSum);
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
        const r = tf.div(tf.mul(tf.mul(e, TW), 2), twSum); // [n, M]
        const r3 = tf.reshape(r, [n, M, 1]);
        const gb2 = tf.sum(r, 0);
        const gw2 = tf.sum(tf.mul(hid3, r3), 0); // [M, h]
        const dHid = tf.reshape(tf.mul(r3, w2r), [n, H]);
        const dPre = tf.mul(dHid, activationGrad(tf, cfg.activation, hid, pre));
        const gw1 = tf.matMul(X, dPre, true, false); // [p, H]
        const gb1 = tf.sum(dPre, 0);
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
      if (VW) old.push(...best, bestVal, bestEpoch, since, active);
      dispose(old);
      ({ params, mom, vel, best, bestVal, bestEpoch, since, active } = step);
      trainLoss = step.loss;
      history.push(step.meanLoss);
      epochsRun = t + 1;
      if (VW && (t + 1) % STOP_CHECK_EVERY === 0) {
        const liveT = tf.sum(active);
        const live = (await liveT.data())[0]!;
        liveT.dispose();
        if (live === 0) break;
      }
    }
    const final = VW ? best : params;
    const read = async (a: T) => Float64Array.from(await a.data());
    const [w1, b1, w2, b2] = await Promise.all(final.map(read)) as [Float64Array, Float64Array, Float64Array, Float64Array];
    const stacked = tf.stack(history);
    const hist = Array.from(await stacked.data());
    stacked.dispose();
    return {
      weights: { members: M, hidden: h, inputs: p, w1, b1, w2: w2, b2 },
      epochsRun,
      bestEpoch: VW ? Int32Array.from(await bestEpoch.data()) : new Int32Array(M).fill(epochsRun - 1),
      finalTrainLoss: await read(trainLoss),
      bestValLoss: VW ? await read(bestVal) : new Float64Array(M).fill(NaN),
      lossHistory: hist,
      engine: `tfjs-${engine.backend}`,
    };
  } finally {
    // dispose() on an already-disposed tensor is a no-op, so shared references are safe here.
    dispose([X, Y, TW, twSum, ...(VW ? [VW, vwSum!] : []), ...params, ...mom, ...vel, trainLoss, ...history]);
    dispose([...best, bestVal, bestEpoch, since, active]);
  }
}

function activation(tf: typeof tfc, a: TrainConfig['activation'], pre: T): T {
  if (a === 'tanh') return tf.tanh(pre);
  if (a === 'sigmoid') return tf.sigmoid(pre);
  return tf.relu(pre);
}

function activationGrad(tf: typeof tfc, a: TrainConfig['activation'], hid: T, pre: T): T {
  if (a === 'tanh') return tf.sub(1, tf.square(hid));
  if (a === 'sigmoid') return tf.mul(hid, tf.sub(1, hid));
  return tf.cast(tf.greater(pre, 0), 'float32');
}
