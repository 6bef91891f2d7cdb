/**
 * Every placebo / bootstrap replicate of the synthdid goldens, draw for draw (minutes on a loaded 2-core
 * machine, so opt-in: SYNTHDID_FULL=1). CI runs the first draws of each stream in the other golden tests.
 */
import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { scEstimate, synthdidEstimate, synthdidSe } from '../../src/synthdid/index.js';
import { californiaBlock, mpdtaBlock2006 } from './synthdid-data.js';

type Se = { se: number | null; replicates: number[] | null };
type Fits = Record<'synthdid' | 'sc', { se: Record<'placebo' | 'bootstrap', Se> }>;
const golden = loadGolden<Record<'california_prop99' | 'mpdta_block2006', Fits>>('synthdid');

describe.skipIf(!process.env.SYNTHDID_FULL)('synthdid: all 200 draws against R (SYNTHDID_FULL=1)', () => {
  const blocks = { california_prop99: californiaBlock(), mpdta_block2006: mpdtaBlock2006() };
  for (const data of ['california_prop99', 'mpdta_block2006'] as const) {
    for (const kind of ['synthdid', 'sc'] as const) {
      for (const method of ['placebo', 'bootstrap'] as const) {
        const r = golden[data][kind].se[method];
        if (r.se === null) continue;
        it(`${data} ${kind} ${method}`, () => {
          const b = blocks[data];
          const est = (kind === 'sc' ? scEstimate : synthdidEstimate)(b.y, b.n0, b.t0);
          const se = synthdidSe(est, { method, seed: 20240612 });
          let worst = 0;
          se.replicates.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - r.replicates![i]!))));
          expect(worst).toBeLessThan(1e-8);
          expect(Math.abs(se.se - r.se!) / r.se!).toBeLessThan(1e-7);
        }, 600_000);
      }
    }
  }
});
