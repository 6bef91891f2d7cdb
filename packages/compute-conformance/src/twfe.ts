import { mat, type ComputeContext } from '@panel-lab/compute';
import { loadMpdta } from './cases.js';

/**
 * fixest's `lemp ~ treat_post | countyreal + year` on mpdta through kernels only: Demean (FWL),
 * CrossProd for the slope, SegmentSum for the cluster scores. Returns the coefficient and the CR0
 * cluster SE (fixest ssc(adj = FALSE, cluster.adj = FALSE)), an independent reference for every backend.
 */
export async function twfeMpdtaViaKernels(ctx: ComputeContext): Promise<{ coef: number; seNoSsc: number }> {
  const d = loadMpdta();
  const n = d.lemp.length;
  const x = new Float64Array(2 * n);
  x.set(d.lemp, 0);
  x.set(d.treatPost, n);
  const dm = await ctx.run('Demean', { x: mat(n, 2, x), feCodes: [d.county, d.year] }, { tol: 1e-10, maxIter: 10_000 });
  const y = dm.x.data.subarray(0, n);
  const dd = dm.x.data.subarray(n, 2 * n);
  const xtx = await ctx.run('CrossProd', { a: dm.x }, {});
  const coef = xtx.data[1]! / xtx.data[3]!; // (d'y)/(d'd)
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) scores[i] = dd[i]! * (y[i]! - coef * dd[i]!);
  let g = 0;
  for (const c of d.county) g = Math.max(g, c + 1);
  const sums = await ctx.run('SegmentSum', { x: mat(n, 1, scores), segments: d.county, nSegments: g }, {});
  let meat = 0;
  for (const s of sums.data) meat += s * s;
  return { coef, seNoSsc: Math.sqrt(meat) / xtx.data[3]! };
}
