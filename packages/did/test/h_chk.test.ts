import { it } from 'vitest';
import { generateChinaPanel, RING_COLUMNS } from '@panel-lab/datasets';
import { ringColumns, spatialDid } from '../src/robustness/spatial.js';
it('x', () => {
  const p = generateChinaPanel({ seed: 11 });
  const opts = { treatment: { cohort: 'bigdata_year' }, lat: 'lat', lon: 'lon' } as const;
  const cols = ringColumns(p.frame, opts);
  for (const [k, name] of Object.entries(cols)) console.log(k, name.reduce((a, b) => a + b, 0));
  for (const c of RING_COLUMNS) { const g = p.frame.numeric(c); let diff = 0; const mine = Object.values(cols)[RING_COLUMNS.indexOf(c)]!; for (let i = 0; i < g.length; i++) if (g[i] !== mine[i]) diff++; console.log(c, diff); }
  const t = performance.now();
  const r = spatialDid(p.frame, { ...opts, outcome: 'ln_co2_elec_ind' });
  console.log(r.coefs.map((c) => [c.term, c.estimate, c.se]), r.counts, performance.now() - t, p.truth.att.ln_co2_elec_ind, p.truth.spillover.lnElecInd);
});
