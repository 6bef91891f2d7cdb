/**
 * Great-circle distances and a uniform-grid spatial index on the unit sphere, so "all treated units
 * within r km of each unit" costs O(n + pairs within r) instead of an n x n matrix.
 */

export const EARTH_RADIUS_KM = 6371.0;
const RAD = Math.PI / 180;

/** Haversine distance in km between two WGS-84 points given in decimal degrees. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number, radius = EARTH_RADIUS_KM): number {
  const p1 = lat1 * RAD;
  const p2 = lat2 * RAD;
  const dp = p2 - p1;
  const dl = (lon2 - lon1) * RAD;
  const h = Math.sin(dp / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) ** 2;
  return 2 * radius * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Points bucketed in cubes of the 3-D unit-sphere embedding; a query scans the 27 cubes around a point. */
export class SphereGrid {
  private readonly cell: number;
  private readonly buckets = new Map<string, number[]>();
  private readonly xyz: Float64Array;

  /** maxKm: the largest query radius (sets the cube size). */
  constructor(
    private readonly lat: ArrayLike<number>,
    private readonly lon: ArrayLike<number>,
    members: Iterable<number>,
    maxKm: number,
    private readonly radius = EARTH_RADIUS_KM,
  ) {
    // chord length of the largest radius: points farther apart on the sphere are farther apart in 3-D
    this.cell = Math.max(2 * Math.sin(Math.min(maxKm / (2 * radius), Math.PI / 2)), 1e-9);
    this.xyz = new Float64Array(lat.length * 3);
    for (let i = 0; i < lat.length; i++) {
      const p = lat[i]! * RAD;
      const l = lon[i]! * RAD;
      this.xyz[3 * i] = Math.cos(p) * Math.cos(l);
      this.xyz[3 * i + 1] = Math.cos(p) * Math.sin(l);
      this.xyz[3 * i + 2] = Math.sin(p);
    }
    for (const i of members) {
      const key = this.key(this.cellOf(i, 0), this.cellOf(i, 1), this.cellOf(i, 2));
      const b = this.buckets.get(key);
      if (b) b.push(i);
      else this.buckets.set(key, [i]);
    }
  }

  private cellOf(i: number, axis: number): number {
    return Math.floor(this.xyz[3 * i + axis]! / this.cell);
  }

  private key(a: number, b: number, c: number): string {
    return `${a},${b},${c}`;
  }

  /** Members within maxKm of point i (excluding i), with their haversine distances. */
  within(i: number, maxKm: number, out: { j: number[]; d: number[] }): void {
    out.j.length = 0;
    out.d.length = 0;
    const a = this.cellOf(i, 0);
    const b = this.cellOf(i, 1);
    const c = this.cellOf(i, 2);
    for (let da = -1; da <= 1; da++) for (let db = -1; db <= 1; db++) for (let dc = -1; dc <= 1; dc++) {
      const bucket = this.buckets.get(this.key(a + da, b + db, c + dc));
      if (!bucket) continue;
      for (const j of bucket) {
        if (j === i) continue;
        const d = haversineKm(this.lat[i]!, this.lon[i]!, this.lat[j]!, this.lon[j]!, this.radius);
        if (d <= maxKm) {
          out.j.push(j);
          out.d.push(d);
        }
      }
    }
  }
}
