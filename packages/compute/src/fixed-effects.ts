import { levelCount } from './validate.js';

/**
 * Level counts when there are exactly two FEs and every (a, b) pair occurs exactly once (a balanced
 * panel): then the two-way within transform has the closed form y - ybar_a - ybar_b + ybar, which
 * equals one sweep of alternating projections. undefined otherwise.
 */
export function balancedTwoWay(feCodes: readonly Int32Array[], n: number): { la: number; lb: number } | undefined {
  if (feCodes.length !== 2) return undefined;
  const [a, b] = feCodes as [Int32Array, Int32Array];
  const la = levelCount(a, 'feCodes[0]');
  const lb = levelCount(b, 'feCodes[1]');
  if (la * lb !== n) return undefined;
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const cell = a[i]! * lb + b[i]!;
    if (seen[cell]) return undefined;
    seen[cell] = 1;
  }
  return { la, lb };
}
