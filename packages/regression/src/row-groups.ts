/** Rows grouped by an integer code (cluster, unit, period): one counting sort, O(n + G). */

export interface RowGroups {
  /** Number of levels (largest code + 1). */
  readonly G: number;
  /** rows[start[g] .. start[g+1]) are the rows of level g, in their original order. */
  readonly start: Int32Array;
  readonly rows: Int32Array;
}

/** Number of levels of 0-based codes (largest code + 1; 0 when empty). */
export function levelCount(codes: Int32Array): number {
  let g = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= g) g = codes[i]! + 1;
  return g;
}

/** Groups the rows by 0-based codes; G defaults to levelCount(codes). */
export function groupRows(codes: Int32Array, G = levelCount(codes)): RowGroups {
  const start = new Int32Array(G + 1);
  for (let i = 0; i < codes.length; i++) start[codes[i]! + 1]!++;
  for (let g = 0; g < G; g++) start[g + 1]! += start[g]!;
  const fill = start.slice(0, G);
  const rows = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) rows[fill[codes[i]!]!++] = i;
  return { G, start, rows };
}
