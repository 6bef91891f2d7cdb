import { contours as d3Contours } from 'd3-contour';

/** A regular (not necessarily evenly spaced) grid: z[j][i] is the value at (x[i], y[j]). */
export interface Grid {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly z: readonly ArrayLike<number>[];
}

/** One vertex of a contour line, in data coordinates; `line` ids separate polylines. */
export interface ContourVertex {
  readonly level: number;
  readonly line: number;
  readonly order: number;
  readonly x: number;
  readonly y: number;
}

export function validateGrid(grid: Grid, what: string): void {
  const nx = grid.x.length;
  const ny = grid.y.length;
  if (nx < 2 || ny < 2) throw new Error(`${what}: grid needs at least 2 x and 2 y values, got ${nx} x ${ny}`);
  if (grid.z.length !== ny) throw new Error(`${what}: z has ${grid.z.length} rows, expected one per y value (${ny})`);
  for (const [name, axis] of [['x', grid.x], ['y', grid.y]] as const) {
    for (let i = 0; i < axis.length; i++) {
      const v = axis[i] as number;
      if (!Number.isFinite(v)) throw new Error(`${what}: ${name}[${i}] is not finite`);
      if (i > 0 && !(v > (axis[i - 1] as number))) throw new Error(`${what}: ${name} must be strictly increasing (at ${name}[${i}])`);
    }
  }
  grid.z.forEach((row, j) => {
    if (row.length !== nx) throw new Error(`${what}: z row ${j} has ${row.length} values, expected ${nx}`);
    for (let i = 0; i < nx; i++) {
      if (!Number.isFinite(row[i] as number)) throw new Error(`${what}: z[${j}][${i}] is not finite`);
    }
  });
}

/**
 * Position of fractional grid index t on an axis: linear between grid points, extended by half a
 * cell beyond the ends (where heatmap cells end too).
 */
export function axisAt(axis: ArrayLike<number>, t: number): number {
  const n = axis.length;
  const at = (i: number): number => axis[i] as number;
  if (t <= 0) return at(0) + t * (at(1) - at(0));
  if (t >= n - 1) return at(n - 1) + (t - (n - 1)) * (at(n - 1) - at(n - 2));
  const i = Math.floor(t);
  return at(i) + (t - i) * (at(i + 1) - at(i));
}

/** Quantile levels of the surface values: probabilities (k - 0.5) / count, k = 1..count (deduplicated). */
export function quantileLevels(grid: Grid, count = 10): number[] {
  const values = Float64Array.from(grid.z.flatMap((row) => Array.from(row))).sort();
  const levels = new Set<number>();
  for (let k = 1; k <= count; k++) {
    const h = (values.length - 1) * ((k - 0.5) / count);
    const lo = Math.floor(h);
    const a = values[lo] as number;
    const b = values[Math.min(lo + 1, values.length - 1)] as number;
    levels.add(a + (h - lo) * (b - a));
  }
  return [...levels].sort((a, b) => a - b);
}

/**
 * Contour lines by marching squares (d3-contour). d3 returns closed polygons that run along the
 * grid border; those border stretches are cut out so that only true iso-lines are drawn (they end
 * at the outermost grid points, where the surface is known).
 */
export function contourLines(grid: Grid, levels: readonly number[]): ContourVertex[] {
  const nx = grid.x.length;
  const ny = grid.y.length;
  const values = new Float64Array(nx * ny);
  grid.z.forEach((row, j) => {
    for (let i = 0; i < nx; i++) values[j * nx + i] = row[i] as number;
  });
  // d3 treats the outside of the grid as below every threshold and closes each polygon through
  // vertices on the outer frame (coordinate 0 or n); a segment touching the frame is not an iso-line.
  const onFrame = (p: readonly number[]): boolean => p[0] === 0 || p[0] === nx || p[1] === 0 || p[1] === ny;
  const onBorder = (a: readonly number[], b: readonly number[]): boolean => onFrame(a) || onFrame(b);
  const out: ContourVertex[] = [];
  let line = 0;
  for (const shape of d3Contours().size([nx, ny]).thresholds([...levels])(Array.from(values))) {
    for (const polygon of shape.coordinates) {
      for (const ring of polygon) {
        let order = 0;
        let open = false;
        for (let k = 1; k < ring.length; k++) {
          const a = ring[k - 1] as number[];
          const b = ring[k] as number[];
          if (onBorder(a, b)) {
            if (open) line++;
            open = false;
            continue;
          }
          // d3 puts the value of cell (i, j) at pixel centre (i + 0.5, j + 0.5).
          const push = (p: number[]): void => {
            out.push({ level: shape.value, line, order: order++, x: axisAt(grid.x, (p[0] as number) - 0.5), y: axisAt(grid.y, (p[1] as number) - 0.5) });
          };
          if (!open) push(a);
          push(b);
          open = true;
        }
        if (open) line++;
      }
    }
  }
  return out;
}
