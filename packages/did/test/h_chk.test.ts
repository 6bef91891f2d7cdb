import { it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { didMultiplegtDyn } from '../src/robustness/dcdh-dyn.js';
import { readCsv } from './robustness/data.js';
it('x', () => {
  const g = loadGolden<any>('didmultiplegt_dyn').castle.results;
  const castle = readCsv('castle.csv', 'sid', 'year');
  const r = didMultiplegtDyn(castle, { outcome: 'l_homicide', treatment: { treatment: 'post' }, effects: 6, placebo: 5 });
  console.log(r.effects.map((e) => [e.estimate, e.se, e.n]), g.Effects.SE, g.Effects.N);
  console.log(r.placebos.map((e) => [e.estimate, e.se, e.n]), g.Placebos.SE, g.Placebos.N, r.switchers);
  const post = castle.numeric('post'); const ey = castle.numeric('effyear'); const yr = castle.numeric('year');
  const m = new Map(); for (let i=0;i<post.length;i++){ const k=ey[i]; m.set(k,(m.get(k)??0)+1);} console.log(m);
});
