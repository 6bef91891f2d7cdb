import { describe, expect, it } from 'vitest';
import { adjustedRowMismatches } from '../src/index.js';

const golden = { estimate: 0.5, se: 0.1, statistic: 5, p_value: 0.01, p_romano_wolf: 0.02, p_westfall_young: 0.03, p_westfall_young_minp: 0.02, t_star_first: [1.5, -0.25] };
const row = { estimate: 0.5, se: 0.1, statistic: 5, pValue: 0.01, pRomanoWolf: 0.02, pWestfallYoung: 0.03, pWestfallYoungMinP: 0.02, tStar: [1.5, -0.25, 9] };

describe('adjustedRowMismatches', () => {
  it('is empty for a row within the tolerances, and without t* when the golden kept none', () => {
    expect(adjustedRowMismatches({ ...row, estimate: 0.5 + 1e-10, pValue: 0.01 + 1e-13 }, golden)).toEqual([]);
    const { t_star_first: _kept, ...noDraws } = golden;
    const { tStar: _draws, ...noStar } = row;
    expect(adjustedRowMismatches(noStar, noDraws)).toEqual([]);
  });

  it('names each field outside its tolerance, and a missing t*', () => {
    const got = adjustedRowMismatches({ ...row, se: 0.1 * (1 + 1e-7), pRomanoWolf: 0.02 + 1e-12, tStar: [1.5, null] }, golden);
    expect(got.map((m) => m.split(':')[0])).toEqual(['se', 't* of draw 2', 'pRomanoWolf']);
  });
});
