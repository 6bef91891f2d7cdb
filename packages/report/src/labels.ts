/**
 * Vertical-line labels at the top of a plot, staggered in 3 rows so that labels of nearby lines
 * (e.g. pilot years 2016 and 2017) do not overprint. `ypx` is a pixel offset (scale: null).
 */
export function staggeredLabels<T extends { readonly label: string }>(items: readonly T[]): (T & { ypx: number })[] {
  return items.map((item, i) => ({ ...item, ypx: 2 + 12 * (i % 3) }));
}

export const STAGGERED_Y = { field: 'ypx', type: 'quantitative', scale: null, axis: null } as const;
