import { describe, expect, it } from 'vitest';
import { attGt, aggte } from '../src/index.js';
import { readGoldenCsv } from './helpers.js';

const frame = readGoldenCsv('mpdta_unbalanced.csv', 'countyreal', 'year');
const base = { outcome: 'lemp', treatment: { cohort: 'first.treat' }, covariates: ['lpop'] } as const;

describe('attGt on repeated cross-sections and unbalanced panels: options and edge cases', () => {
  it('constant weights change nothing (DRDID normalises them within each 2x2)', () => {
    const weighted = frame.withColumns({ w2: new Float64Array(frame.nrows).fill(2) });
    for (const opts of [{ panel: false }, { allowUnbalancedPanel: true }] as const) {
      const a = attGt(frame, { ...base, ...opts });
      const b = attGt(weighted, { ...base, ...opts, weights: 'w2' });
      a.att.forEach((v, k) => expect(b.att[k]!).toBeCloseTo(v, 13));
      a.se.forEach((v, k) => expect(b.se[k]!).toBeCloseTo(v, 13));
      expect(aggte(b, { type: 'group' }).overallAtt).toBeCloseTo(aggte(a, { type: 'group' }).overallAtt, 13);
    }
  });

  it('cells without treated rows in their base period are NA, named in the warnings', () => {
    const year = frame.numeric('year');
    const g = frame.numeric('first.treat');
    const rows: number[] = [];
    for (let r = 0; r < frame.nrows; r++) if (!(g[r] === 2004 && year[r] === 2003)) rows.push(r);
    const res = attGt(frame.takeRows(Int32Array.from(rows)), { ...base, panel: false });
    // every post cell of cohort 2004 has 2003 as its base period
    res.group.forEach((gg, k) => expect(Number.isNaN(res.att[k]!)).toBe(gg === 2004 && res.time[k]! >= 2004));
    expect(res.drops.cellsNa).toBe(4);
    expect(res.warnings.join('\n')).toMatch(/ATT\(2004,2004\) is NA: no treated rows in the base period/);
  });

  it('clusters: constant within a unit on unbalanced panels; by unit they equal the default', () => {
    const byUnit = attGt(frame, { ...base, allowUnbalancedPanel: true, cluster: 'countyreal' });
    const plain = attGt(frame, { ...base, allowUnbalancedPanel: true });
    plain.se.forEach((v, k) => expect(byUnit.se[k]!).toBeCloseTo(v, 14));
    const varying = frame.withColumns({ cl: Float64Array.from({ length: frame.nrows }, (_, r) => r % 2) });
    expect(() => attGt(varying, { ...base, allowUnbalancedPanel: true, cluster: 'cl' })).toThrow(/cluster column 'cl' must be constant within/);
  });

  it('rows with a missing outcome are dropped and counted', () => {
    const y = Float64Array.from(frame.numeric('lemp'));
    y[0] = Number.NaN;
    const res = attGt(frame.withColumns({ lemp: y }), { ...base, panel: false });
    expect(res.drops.rowsIncomplete).toBe(1);
    expect(res.n).toBe(frame.nrows - 1);
  });
});
