import { describe, expect, it } from 'vitest';
import { loadGolden, tolerance } from '@panel-lab/testing';
import { eventStudy, sunAbraham, twfeDid, type EventCoef } from '../src/index.js';
import { readGoldenCsv } from './helpers.js';

interface CoefTable { term: string[]; estimate: number[]; se: number[] }
const golden = loadGolden<{
  twfe: { coef: number; se: { cluster_default: number }; nobs: number };
  sunab: { coeftable: CoefTable; att: CoefTable; cohort: CoefTable };
  event_study_i: { coeftable: CoefTable };
  base_stagg: { sunab: { coeftable: CoefTable; att: CoefTable }; twfe_i: { coeftable: CoefTable } };
}>('fixest_mpdta');
const mpdta = readGoldenCsv('mpdta.csv', 'countyreal', 'year');
const stagg = readGoldenCsv('base_stagg.csv', 'id', 'year');
const COEF = tolerance('coef', 64);
const SE = tolerance('se', 64);
const relClose = (a: number, b: number, tol: number): void => expect(Math.abs(a - b)).toBeLessThan(tol * Math.max(1, Math.abs(b)));

/** Golden rows "<prefix>::<e>" against coefficients by event time. */
function compareByEvent(coefs: readonly EventCoef[], table: CoefTable): void {
  const rows = table.term.map((t, k) => ({ t, k })).filter(({ t }) => t.includes('::'));
  expect(coefs.length).toBe(rows.length);
  for (const { t, k } of rows) {
    const e = Number(t.split('::')[1]);
    const c = coefs.find((x) => x.eventTime === e);
    expect(c, t).toBeDefined();
    relClose(c!.estimate, table.estimate[k]!, COEF);
    relClose(c!.se, table.se[k]!, SE);
  }
}

describe('fixest goldens', () => {
  it('TWFE DID on mpdta: coefficient and CR1 SE', () => {
    const r = twfeDid(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' } });
    relClose(r.estimate, golden.twfe.coef, COEF);
    relClose(r.se, golden.twfe.se.cluster_default, SE);
    expect(r.fit.nobs).toBe(golden.twfe.nobs);
  });

  it('event study i(rel_year, ref = -1) on mpdta', () => {
    const r = eventStudy(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, ref: -1 });
    compareByEvent(r.coefs, golden.event_study_i.coeftable);
    expect(r.pretest!.eventTimes).toEqual([-4, -3, -2]);
    expect(r.pretest!.pValue).toBeGreaterThan(0);
  });

  it('event study with x1 on base_stagg (never-treated coded 10000)', () => {
    const r = eventStudy(stagg, { outcome: 'y', treatment: { cohort: 'year_treated' }, controls: ['x1'] });
    compareByEvent(r.coefs, golden.base_stagg.twfe_i.coeftable);
    const x1 = r.fit.coefNames.indexOf('x1');
    relClose(r.fit.coefficients[x1]!, golden.base_stagg.twfe_i.coeftable.estimate[0]!, COEF);
  });

  it('sunab on mpdta: periods, ATT and cohort aggregations', () => {
    const r = sunAbraham(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' } });
    compareByEvent(r.coefs, golden.sunab.coeftable);
    relClose(r.att.estimate, golden.sunab.att.estimate[0]!, COEF);
    relClose(r.att.se, golden.sunab.att.se[0]!, SE);
    golden.sunab.cohort.term.forEach((t, k) => {
      const c = r.cohorts.find((x) => x.group === Number(t.split('::')[1]))!;
      relClose(c.estimate, golden.sunab.cohort.estimate[k]!, COEF);
      relClose(c.se, golden.sunab.cohort.se[k]!, SE);
    });
  });

  it('sunab with x1 on base_stagg', () => {
    const r = sunAbraham(stagg, { outcome: 'y', treatment: { cohort: 'year_treated' }, controls: ['x1'] });
    compareByEvent(r.coefs, golden.base_stagg.sunab.coeftable);
    relClose(r.att.estimate, golden.base_stagg.sunab.att.estimate[1]!, COEF);
    relClose(r.att.se, golden.base_stagg.sunab.att.se[1]!, SE);
  });
});
