/**
 * The per-draw SE pass over the rows of a balanced panel: m_i = D_i - Dbar_unit + shift_t - z_i'gamma
 * and score[cluster_i] += m_i (e_i - beta m_i). V8 does not unroll the inner loop over the K controls;
 * a kernel specialised to K with gamma held in locals runs about 4x faster (measured: 1,000 draws on
 * 2,574 rows x 10 controls, 50 ms -> 13 ms). The generated source depends only on the integer K.
 */
export type FusedScoreKernel = (
  n: number,
  unit: Int32Array,
  time: Int32Array,
  cluster: Int32Array,
  startOf: Int32Array,
  dbarU: Float64Array,
  shift: Float64Array,
  zRows: Float64Array,
  gamma: Float64Array,
  ey: Float64Array,
  beta: number,
  scores: Float64Array,
) => void;

const cache = new Map<number, FusedScoreKernel>();
const MAX_UNROLLED = 64;

function generic(K: number): FusedScoreKernel {
  return (n, unit, time, cluster, startOf, dbarU, shift, zRows, gamma, ey, beta, scores) => {
    for (let i = 0, off = 0; i < n; i++, off += K) {
      const u = unit[i]!;
      const t = time[i]!;
      let mi = (t >= startOf[u]! ? 1 : 0) - dbarU[u]! + shift[t]!;
      for (let k = 0; k < K; k++) mi -= zRows[off + k]! * gamma[k]!;
      scores[cluster[i]!]! += mi * (ey[i]! - beta * mi);
    }
  };
}

export function fusedScoreKernel(K: number): FusedScoreKernel {
  let f = cache.get(K);
  if (f) return f;
  if (!Number.isInteger(K) || K < 0) throw new RangeError(`fusedScoreKernel: K must be a non-negative integer, got ${K}`);
  if (K > MAX_UNROLLED) f = generic(K);
  else {
    const locals = Array.from({ length: K }, (_, k) => `const g${k} = gamma[${k}];`).join('\n');
    const dot = K === 0 ? '0' : Array.from({ length: K }, (_, k) => `zRows[off + ${k}] * g${k}`).join(' + ');
    const body = `${locals}
for (let i = 0, off = 0; i < n; i++, off += ${K}) {
  const u = unit[i];
  const t = time[i];
  const mi = (t >= startOf[u] ? 1 : 0) - dbarU[u] + shift[t] - (${dot});
  scores[cluster[i]] += mi * (ey[i] - beta * mi);
}`;
    f = new Function('n', 'unit', 'time', 'cluster', 'startOf', 'dbarU', 'shift', 'zRows', 'gamma', 'ey', 'beta', 'scores', body) as FusedScoreKernel;
  }
  cache.set(K, f);
  return f;
}

/** The loop form, for tests of the generated kernel. */
export const fusedScoreGeneric = generic;
