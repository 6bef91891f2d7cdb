import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import { stackedDid } from '../../src/robustness/stacked.js';
import { twfeDid } from '../../src/regression/twfe.js';

/** WFH tutorial data (hollina/stacked-did-weights, see packages/did/README.md for provenance). */
function acs(): PanelFrame {
  const text = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'data', 'acs1860_unins_2008_2021.csv'), 'utf8').trim().split('\n');
  const rows = text.slice(1).map((l) => {
    const [st, fip, year, adopt, unins] = l.split(',');
    return { st: st!, statefip: Number(fip), year: Number(year), adopt_year: adopt === '' ? null : Number(adopt), unins: Number(unins) };
  });
  return PanelFrame.fromRows(rows, { unit: 'statefip', time: 'year' });
}

describe('stackedDid (Cengiz; Wing, Freedman & Hollingsworth weights)', () => {
  const data = acs();

  it('WFH ACA Medicaid tutorial: weighted event study, kappa 3/2, clustered by state (METHODS §11 numbers)', () => {
    const r = stackedDid(data, { outcome: 'unins', treatment: { cohort: 'adopt_year' }, kappaPre: 3, kappaPost: 2, type: 'event_study' });
    expect(r.stacks.map((s) => s.stack)).toEqual([2014, 2015, 2016, 2019]);
    expect(r.infeasibleCohorts).toEqual([2020, 2021]);
    expect(r.nobs).toBe(600);
    expect(r.nobsDropped).toBe(0);
    const want: Record<number, number> = { [-3]: -0.001, [-2]: -0.003, 0: -0.0163, 1: -0.0239, 2: -0.0255 };
    for (const c of r.coefs) expect(Math.abs(c.estimate - want[c.eventTime!]!), c.term).toBeLessThan(1e-4);
  });

  it('weighted event-study coefficients equal the treated-share-weighted average of the stacks\' 2x2 DiDs', () => {
    const r = stackedDid(data, { outcome: 'unins', treatment: { cohort: 'adopt_year' }, kappaPre: 3, kappaPost: 2, type: 'event_study' });
    const y = data.numeric('unins');
    const g = data.numeric('adopt_year');
    const t = data.numeric('year');
    const mean = (sel: (i: number) => boolean) => {
      let s = 0;
      let n = 0;
      for (let i = 0; i < y.length; i++) if (sel(i)) (s += y[i]!, n++);
      return [s / n, n] as const;
    };
    for (const e of [-3, 0, 2]) {
      let num = 0;
      let den = 0;
      for (const s of r.stacks) {
        const a = s.stack;
        const treated = (i: number) => g[i] === a;
        const clean = (i: number) => Number.isNaN(g[i]!) || g[i]! > a + 2;
        const [te] = mean((i) => treated(i) && t[i] === a + e);
        const [tb] = mean((i) => treated(i) && t[i] === a - 1);
        const [ce] = mean((i) => clean(i) && t[i] === a + e);
        const [cb] = mean((i) => clean(i) && t[i] === a - 1);
        num += s.treatedUnits * (te - tb - (ce - cb));
        den += s.treatedUnits;
      }
      expect(Math.abs(r.coefs.find((c) => c.eventTime === e)!.estimate - num / den)).toBeLessThan(1e-10);
    }
  });

  it('one cohort and never-treated units only: unweighted and weighted stacking equal TWFE on the window', () => {
    const rows: Record<string, number>[] = [];
    for (let u = 0; u < 8; u++) for (let t = 0; t < 6; t++) rows.push({ id: u, t, g: u < 3 ? 3 : 0, y: Math.cos(u * 1.7 + t) + (u < 3 && t >= 3 ? 0.5 : 0) });
    const f = PanelFrame.fromRows(rows, { unit: 'id', time: 't' });
    const w = stackedDid(f, { outcome: 'y', treatment: { cohort: 'g' }, kappaPre: 3, kappaPost: 2 });
    const u = stackedDid(f, { outcome: 'y', treatment: { cohort: 'g' }, kappaPre: 3, kappaPost: 2, weighted: false });
    const twfe = twfeDid(f, { outcome: 'y', treatment: { cohort: 'g' } });
    expect(Math.abs(w.coefs[0]!.estimate - twfe.estimate)).toBeLessThan(1e-10);
    expect(Math.abs(u.coefs[0]!.estimate - twfe.estimate)).toBeLessThan(1e-10);
  });

  it('names an empty window', () => {
    expect(() => stackedDid(data, { outcome: 'unins', treatment: { cohort: 'adopt_year' }, kappaPre: 10, kappaPost: 10 })).toThrow(/no cohort has the full window/);
  });
});
