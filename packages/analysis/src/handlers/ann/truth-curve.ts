import type { GroundTruth } from '@panel-lab/datasets';
import { DE_INDEX_COLUMN } from '@panel-lab/datasets';
import type { PanelFrame } from '@panel-lab/panel';

/**
 * The generator's true partial dependence of an outcome at the given grid of the focal input. The truth is
 * defined on the latent index; for the constructed index each grid value is mapped to the latent value with
 * the same empirical quantile (both are increasing in the latent index up to noise). Null when unknown.
 */
export function trueCurveOnGrid(truth: GroundTruth, outcome: string, focal: string, frame: PanelFrame, grid: readonly number[]): { values: number[]; label: string } | null {
  const pd = (truth.response.partialDependence as Record<string, readonly number[] | undefined>)[outcome];
  if (!pd) return null;
  const tg = truth.response.grid;
  const interp = (x: number) => {
    let k = 0;
    while (k < tg.length - 2 && tg[k + 1]! < x) k++;
    const w = Math.min(1, Math.max(0, (x - tg[k]!) / (tg[k + 1]! - tg[k]!)));
    return pd[k]! * (1 - w) + pd[k + 1]! * w;
  };
  if (focal === DE_INDEX_COLUMN) return { values: grid.map(interp), label: 'true partial dependence' };
  const fx = frame.numeric(focal);
  const lx = frame.numeric(DE_INDEX_COLUMN);
  const own: number[] = [];
  const lat: number[] = [];
  for (let i = 0; i < fx.length; i++) {
    if (Number.isFinite(fx[i]!) && Number.isFinite(lx[i]!)) {
      own.push(fx[i]!);
      lat.push(lx[i]!);
    }
  }
  if (own.length < 2) return null;
  own.sort((a, b) => a - b);
  lat.sort((a, b) => a - b);
  const values = grid.map((x) => {
    let below = 0;
    while (below < own.length && own[below]! <= x) below++;
    const q = Math.min(1, Math.max(0, (below - 0.5) / own.length));
    const h = q * (lat.length - 1);
    const lo = Math.floor(h);
    const latent = lat[lo]! + (h - lo) * (lat[Math.min(lat.length - 1, lo + 1)]! - lat[lo]!);
    return interp(latent);
  });
  return { values, label: 'true partial dependence (quantile-matched latent index)' };
}
