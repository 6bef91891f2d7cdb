/**
 * Lengths of the blocks a float32 kernel sums separately before the blocks are added in float64:
 * a plain f32 running sum over 10^7 rows loses about n * 2^-24 of its value (1e7 rows: up to 0.6),
 * a block of B rows at most B * 2^-24, so the result error stays near the f32 rounding of the inputs.
 */
export const F32_SUM_BLOCK = 4096;

/** Start and end rows of the blocks of `rows` (the last may be shorter). */
export function sumBlocks(rows: number, block = F32_SUM_BLOCK): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = [];
  for (let lo = 0; lo < rows; lo += block) out.push([lo, Math.min(rows, lo + block)] as const);
  if (out.length === 0) out.push([0, 0] as const);
  return out;
}
