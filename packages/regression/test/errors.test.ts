// Clear failures: each message names the column, option or terms at fault; drops are counted.
import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import { feols, withVcov } from '../src/index.js';
import { syntheticPanel } from './helpers.js';

const small = () =>
  PanelFrame.fromColumns(
    {
      id: [1, 1, 2, 2, 3, 3, 4, 4],
      t: [1, 2, 1, 2, 1, 2, 1, 2],
      y: [1, 2, 3, 5, 2, 1, 4, 4],
      x: [0.5, 1, 2, 2.5, 0.1, 0.7, 1.1, 3],
      g: [1, 1, 2, 2, 1, 1, 2, 2], // constant within id
      allna: [null, null, null, null, null, null, null, null],
      somena: [1, null, 2, 3, null, 1, 2, 4],
      region: ['a', 'a', 'b', 'b', null, null, 'a', 'a'],
    },
    { unit: 'id', time: 't' },
  );

describe('errors and drops', () => {
  it('all-NA column is named', () => {
    expect(() => feols('y ~ allna', small())).toThrow(/column 'allna' is entirely missing/);
  });

  it('unknown regressor and missing cluster variable are named', () => {
    expect(() => feols('y ~ nothere', small())).toThrow(/variable 'nothere' not found/);
    expect(() => feols('y ~ x | id', small(), { vcov: { cluster: 'state' } })).toThrow(/cluster variable 'state' not found/);
  });

  it('no observations left says why', () => {
    const d = small().withColumns({ z: [1, null, null, null, null, null, null, null] });
    expect(() => feols('y ~ z | id', d, { removeSingletons: true })).toThrow(/no observations left.*7 with missing values.*z: 7.*1 FE singletons/);
  });

  it('regressor constant within FE is reported as collinear and dropped; alone it is a singular design', () => {
    const res = feols('y ~ x + g | id', small());
    expect(res.collinear).toEqual(['g']);
    expect(res.coefNames).toEqual(['x']);
    expect(() => feols('y ~ g | id', small())).toThrow(/singular design: every regressor is collinear with the fixed effects \(g\)/);
  });

  it('regressor constant within a unit is collinear with two-way FE on an unbalanced panel', () => {
    const data = syntheticPanel({ units: 40, periods: 7, dropShare: 0.2, seed: 12 });
    const ids = data.numeric('id');
    const d = data.withColumns({ unitConst: Float64Array.from(ids, (i) => Math.sin(i) * 3 + 0.1), tConst: Float64Array.from(data.numeric('t'), (t) => t * t) });
    const res = feols('y ~ x1 + unitConst + tConst | id + t', d);
    expect(res.collinear).toEqual(['unitConst', 'tConst']);
    expect(res.coefNames).toEqual(['x1']);
    const three = feols('y ~ x1 + unitConst | id + t + firm', d);
    expect(three.collinear).toEqual(['unitConst']);
  });

  it('exactly collinear regressors: the later one is dropped by name', () => {
    const d = small().withColumns({ x2: [1, 2, 4, 5, 0.2, 1.4, 2.2, 6] }); // 2 * x
    const res = feols('y ~ x + x2', d);
    expect(res.coefNames).toEqual(['(Intercept)', 'x']);
    expect(res.collinear).toEqual(['x2']);
  });

  it('rows with NA are dropped and counted by variable', () => {
    const res = feols('y ~ x + somena', small());
    expect(res.nobs).toBe(6);
    expect(res.nobsDropped).toBe(2);
    expect(res.dropped.naByVariable).toEqual({ somena: 2 });
    const byCluster = feols('y ~ x', small(), { vcov: { cluster: 'region' } });
    expect(byCluster.nobs).toBe(6);
    expect(byCluster.dropped.naByVariable).toEqual({ region: 2 });
    expect(byCluster.nClusters.region).toBe(2);
  });

  it('singletons are removed iteratively and counted only when asked', () => {
    const d = PanelFrame.fromColumns(
      { id: [1, 1, 2, 2, 3, 4, 4, 5, 5], t: [1, 2, 1, 2, 1, 1, 3, 1, 2], y: [1, 2, 3, 4, 5, 6, 8, 2, 7], x: [1, 0, 2, 1, 3, 1, 2, 4, 0] },
      { unit: 'id', time: 't' },
    );
    const kept = feols('y ~ x | id + t', d);
    expect(kept.nobs).toBe(9);
    expect(kept.dropped.singletons).toBe(0);
    const res = feols('y ~ x | id + t', d, { removeSingletons: true });
    // id 3 is a singleton; then t=3 is; then id 4 has one row left
    expect(res.dropped.singletons).toBe(3);
    expect(res.nobs).toBe(6);
    expect(res.nobsDropped).toBe(3);
  });

  it('bad options name the option', () => {
    const d = small();
    expect(() => feols('y ~ x', d, { vcov: 'sandwich' })).toThrow(/unknown type 'sandwich'; known: iid/);
    expect(() => feols('y ~ x', d, { vcov: { type: 'hetero', cluster: 'id' } })).toThrow(/option 'cluster' is not allowed for 'hetero'/);
    expect(() => feols('y ~ x', d, { vcov: { cluster: ['id', 't', 'g'] } })).toThrow(/takes 1 to 2 variable\(s\), got 3/);
    expect(() => feols('y ~ x', d, { vcov: 'cluster' })).toThrow(/needs 1 fixed effect/);
    expect(() => feols('y ~ x', d, { ssc: { adj: true } as never })).toThrow(/ssc: unknown option 'adj'/);
    expect(() => feols('y ~ x', d, { weights: new Float64Array(3) })).toThrow(/option weights has 3 values, expected 8/);
    expect(() => feols('y ~ x', d, { weights: Float64Array.from([1, 1, -1, 1, 1, 1, 1, 1]) })).toThrow(/weight at row 2 is -1/);
    expect(() => feols('y ~ i(t, ref = 9)', d)).toThrow(/ref value 9 is not a level of 't'/);
  });

  it('reports non-convergence instead of hiding it: an error with iterations and tolerance, or a flagged result on request', () => {
    const data = syntheticPanel({ units: 50, periods: 6, dropShare: 0.3, seed: 9 });
    expect(() => feols('y ~ x1 | id + t + firm', data, { maxIter: 1, demeanMethod: 'iterative' })).toThrow(
      /demeaning \(alternating-projections\) did not converge in 1 iterations \(maxIter 1, tol 1e-10\)/,
    );
    const res = feols('y ~ x1 | id + t + firm', data, { maxIter: 1, demeanMethod: 'iterative', allowNonConvergence: true });
    expect(res.meta.converged).toBe(false);
    expect(res.meta.iterations).toBe(1);
  });

  it('withVcov on a deserialized result explains itself', () => {
    const res = feols('y ~ x | id', small());
    const copy = JSON.parse(JSON.stringify(res));
    expect(() => withVcov(copy, 'hetero')).toThrow(/no fit state/);
  });
});
