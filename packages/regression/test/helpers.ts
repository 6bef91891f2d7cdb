// Seeded synthetic panels for the tests (createRng keeps them reproducible).
import { createRng } from '@panel-lab/compute';
import { PanelFrame } from '@panel-lab/panel';

/** An unbalanced panel: units x periods with rows dropped at random, x correlated with the FE. */
export function syntheticPanel(opts: { units: number; periods: number; dropShare?: number; seed: number; firms?: number }): PanelFrame {
  const rng = createRng(opts.seed);
  const cols: Record<string, number[]> = { id: [], t: [], firm: [], x1: [], x2: [], w: [], y: [] };
  const ua = Array.from({ length: opts.units }, () => rng.normal());
  const tb = Array.from({ length: opts.periods }, () => rng.normal());
  for (let i = 0; i < opts.units; i++) {
    for (let t = 0; t < opts.periods; t++) {
      if (rng.uniform() < (opts.dropShare ?? 0)) continue;
      const firm = rng.int(0, (opts.firms ?? 7) - 1);
      const x1 = rng.normal() + 0.5 * ua[i]!;
      const x2 = rng.normal() + 0.3 * tb[t]!;
      cols.id!.push(i);
      cols.t!.push(t);
      cols.firm!.push(firm);
      cols.x1!.push(x1);
      cols.x2!.push(x2);
      cols.w!.push(0.5 + rng.uniform());
      cols.y!.push(1 + 0.7 * x1 - 0.3 * x2 + ua[i]! + tb[t]! + 0.2 * firm + rng.normal());
    }
  }
  const frameCols: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(cols)) frameCols[k] = Float64Array.from(v);
  return PanelFrame.fromColumns(frameCols, { unit: 'id', time: 't' });
}
