import { createRng } from '@panel-lab/compute';
import { makeDesign, type Design } from '../src/index.js';

/** y = sin(3·x1) + x2² + noise on x ~ U(-1, 1)²; optional group codes (10 rows per group). */
export function sinSquareDesign(n: number, seed: number, noise = 0.1): Design {
  const rng = createRng(seed);
  const x1 = Float64Array.from({ length: n }, () => 2 * rng.uniform() - 1);
  const x2 = Float64Array.from({ length: n }, () => 2 * rng.uniform() - 1);
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(3 * x1[i]!) + x2[i]! ** 2 + noise * rng.normal());
  const x = new Float64Array(2 * n);
  x.set(x1, 0);
  x.set(x2, n);
  return makeDesign({ x, n, names: ['x1', 'x2'], y, groups: Int32Array.from({ length: n }, (_, i) => Math.floor(i / 10)) });
}
