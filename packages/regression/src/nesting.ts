/** True when every level of the fixed effect `fe` (codes 0..size-1) lies within a single level of `cluster`. */
export function nestedIn(fe: Int32Array, size: number, cluster: Int32Array): boolean {
  const owner = new Int32Array(size).fill(-1);
  for (let i = 0; i < fe.length; i++) {
    const o = owner[fe[i]!]!;
    if (o < 0) owner[fe[i]!] = cluster[i]!;
    else if (o !== cluster[i]) return false;
  }
  return true;
}
