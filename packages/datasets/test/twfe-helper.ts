/**
 * Test helper: the balanced two-way within estimator of y on d (closed form, METHODS §0.1) with the
 * CR1 city-clustered SE (fixest small-sample correction: K = 1 slope + T-1 year effects).
 */
export function twfe(y: Float64Array, d: Float64Array, n: number, T: number): { beta: number; se: number; dTilde: Float64Array } {
  const within = (x: Float64Array) => {
    const unit = new Float64Array(n);
    const time = new Float64Array(T);
    let all = 0;
    for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) {
      const v = x[i * T + t]!;
      unit[i] = unit[i]! + v / T;
      time[t] = time[t]! + v / n;
      all += v / (n * T);
    }
    const out = new Float64Array(n * T);
    for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) out[i * T + t] = x[i * T + t]! - unit[i]! - time[t]! + all;
    return out;
  };
  const yt = within(y);
  const dt = within(d);
  let sdd = 0;
  let sdy = 0;
  for (let r = 0; r < n * T; r++) {
    sdd += dt[r]! * dt[r]!;
    sdy += dt[r]! * yt[r]!;
  }
  const beta = sdy / sdd;
  let meat = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < T; t++) {
      const r = i * T + t;
      s += dt[r]! * (yt[r]! - beta * dt[r]!);
    }
    meat += s * s;
  }
  const N = n * T;
  const K = 1 + (T - 1);
  const q = (n / (n - 1)) * ((N - 1) / (N - K));
  return { beta, se: Math.sqrt((q * meat) / (sdd * sdd)), dTilde: dt };
}

/** The TWFE estimand implied by per-row true effects: sum(d~ tau) / sum(d~^2). */
export function twfeEstimand(dTilde: Float64Array, rowEffect: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let r = 0; r < dTilde.length; r++) {
    num += dTilde[r]! * rowEffect[r]!;
    den += dTilde[r]! * dTilde[r]!;
  }
  return num / den;
}
