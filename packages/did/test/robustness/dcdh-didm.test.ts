import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import { loadGolden, tolerance } from '@panel-lab/testing';
import { aggte } from '../../src/cs/aggte.js';
import { attGt } from '../../src/cs/att-gt.js';
import { didMultiplegt } from '../../src/robustness/dcdh-didm.js';
import { didMultiplegtDyn } from '../../src/robustness/dcdh-dyn.js';
import { readCsv } from './data.js';

const oldCase = loadGolden<{ mpdta_did_multiplegt_old: { point_estimates: Record<string, number>; bootstrap: Record<string, number> } }>('didmultiplegt_dyn').mpdta_did_multiplegt_old;
const old = oldCase.point_estimates;
const COEF = tolerance('coef', 64);
const raw = readCsv('mpdta.csv', 'countyreal', 'year');
const g = raw.numeric('first.treat');
const yr = raw.numeric('year');
const mpdta = raw.withColumns({ treat_post: Float64Array.from(g, (v, i) => (v > 0 && yr[i]! >= v ? 1 : 0)) });

describe('didMultiplegt (DID_M, legacy did_multiplegt)', () => {
  it('mpdta: DID_M, placebos 1-2 and their cell counts match did_multiplegt 2.0.0', () => {
    const r = didMultiplegt(mpdta, { outcome: 'lemp', treatment: 'treat_post', placebo: 2, bootstrap: 0 });
    expect(Math.abs(r.coefs[0]!.estimate - old.effect!)).toBeLessThan(COEF);
    expect(Math.abs(r.coefs[1]!.estimate - old.placebo_1!)).toBeLessThan(COEF);
    expect(Math.abs(r.coefs[2]!.estimate - old.placebo_2!)).toBeLessThan(COEF);
    expect(r.cells).toEqual([old.N_effect, old.N_placebo_1, old.N_placebo_2]);
    expect(r.switchers[0]).toBe(old.N_switchers_effect);
  });

  it('DID_M equals DID_1 of the dynamic estimator and CS not-yet-treated θ(0) on mpdta', () => {
    const m = didMultiplegt(mpdta, { outcome: 'lemp', treatment: 'treat_post', bootstrap: 0 });
    const dyn = didMultiplegtDyn(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, effects: 4 });
    const cs = aggte(attGt(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, controlGroup: 'notyettreated' }), { type: 'dynamic' });
    expect(Math.abs(m.coefs[0]!.estimate - dyn.effects[0]!.estimate)).toBeLessThan(1e-12);
    for (let l = 0; l < 4; l++) {
      const k = cs.egt.indexOf(l);
      expect(Math.abs(dyn.effects[l]!.estimate - cs.attEgt[k]!)).toBeLessThan(1e-10);
    }
  });

  it('bootstrap SEs are reproducible for a seed and close to the analytic SE', () => {
    const a = didMultiplegt(mpdta, { outcome: 'lemp', treatment: 'treat_post', bootstrap: 100, seed: 7 });
    const b = didMultiplegt(mpdta, { outcome: 'lemp', treatment: 'treat_post', bootstrap: 100, seed: 7 });
    expect(a.coefs[0]!.se).toBe(b.coefs[0]!.se);
    const dyn = didMultiplegtDyn(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' } });
    // B = 100: the bootstrap SD of an SE estimate is about SE/sqrt(2B) = 7%; allow 4 of those
    expect(Math.abs(a.coefs[0]!.se / dyn.effects[0]!.se - 1)).toBeLessThan(0.28);
  });

  it('bootstrap SEs agree with R\'s (brep = 100, different RNG) within Monte-Carlo error', () => {
    const r = didMultiplegt(mpdta, { outcome: 'lemp', treatment: 'treat_post', placebo: 2, bootstrap: 200, seed: 11 });
    // an SE from B draws has relative sd ~ 1/sqrt(2B): 7% for R's B = 100, 5% for ours; allow 3 combined sds
    const tol = 3 * Math.hypot(1 / Math.sqrt(200), 1 / Math.sqrt(400));
    const want = [oldCase.bootstrap.se_effect!, oldCase.bootstrap.se_placebo_1!, oldCase.bootstrap.se_placebo_2!];
    r.coefs.forEach((c, k) => expect(Math.abs(c.se / want[k]! - 1), c.term).toBeLessThan(tol));
    expect(r.bootstrapFailures).toBe(0);
  });

  it('handles switching off (leavers) and rejects a non-binary treatment', () => {
    // two units switch on in period 2 and off in period 3; four never switch
    const rows: Record<string, number>[] = [];
    const paths = [[0, 1, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1]];
    paths.forEach((p, u) => p.forEach((d, t) => rows.push({ id: u, t, d, y: u + t + 2 * d })));
    const f = PanelFrame.fromRows(rows, { unit: 'id', time: 't' });
    const r = didMultiplegt(f, { outcome: 'y', treatment: 'd', bootstrap: 0 });
    expect(Math.abs(r.coefs[0]!.estimate - 2)).toBeLessThan(1e-12); // effect 2 for joiners and leavers alike
    expect(r.switchers[0]).toBe(4);
    const bad = PanelFrame.fromRows(rows.map((x) => ({ ...x, d: x.d! * 2 })), { unit: 'id', time: 't' });
    expect(() => didMultiplegt(bad, { outcome: 'y', treatment: 'd' })).toThrow(/must be 0\/1/);
  });
});
