import { describe, expect, it } from 'vitest';
import { createRng } from '@panel-lab/compute';
import { logitFit } from '../src/index.js';

/** n rows: intercept, two covariates, y ~ Bernoulli(logistic(0.3 + x1 - 0.5 x2)). */
function data(n: number, seed: number) {
  const rng = createRng(seed);
  const x1 = Float64Array.from({ length: n }, () => rng.normal());
  const x2 = Float64Array.from({ length: n }, () => rng.normal());
  const y = Float64Array.from({ length: n }, (_, i) => (rng.uniform() < 1 / (1 + Math.exp(-(0.3 + x1[i]! - 0.5 * x2[i]!))) ? 1 : 0));
  return { x: [new Float64Array(n).fill(1), x1, x2], y };
}

describe('logitFit (binomial GLM by IRLS)', () => {
  it('integer prior weights equal duplicated rows (coefficients, vcov, deviance)', () => {
    const { x, y } = data(300, 1);
    const w = Float64Array.from({ length: 300 }, (_, i) => 1 + (i % 3));
    const idx = Array.from({ length: 300 }, (_, i) => Array<number>(w[i]!).fill(i)).flat();
    const dup = logitFit(x.map((c) => Float64Array.from(idx, (i) => c[i]!)), Float64Array.from(idx, (i) => y[i]!), { tol: 1e-12 });
    const weighted = logitFit(x, y, { weights: w, tol: 1e-12 });
    for (let j = 0; j < 3; j++) expect(weighted.coef[j]).toBeCloseTo(dup.coef[j]!, 9);
    // vcov uses the last iteration's working weights, reached from different starts (glm's weighted
    // start is not the duplicated rows' start): they agree to the previous iterate's distance from the
    // MLE (about sqrt(tol)), not to 1e-9
    const scale = Math.max(...[0, 4, 8].map((j) => dup.vcov[j]!));
    for (let j = 0; j < 9; j++) expect(Math.abs(weighted.vcov[j]! - dup.vcov[j]!)).toBeLessThan(1e-5 * scale);
    expect(weighted.deviance).toBeCloseTo(dup.deviance, 8);
    expect(weighted.nullDeviance).toBeCloseTo(dup.nullDeviance, 8);
    expect(weighted.converged).toBe(true);
  });

  it('recovers the data-generating coefficients within sampling error', () => {
    const { x, y } = data(20_000, 2);
    const fit = logitFit(x, y);
    [0.3, 1, -0.5].forEach((b, j) => expect(Math.abs(fit.coef[j]! - b)).toBeLessThan(4 * Math.sqrt(fit.vcov[j * 3 + j]!)));
    expect(fit.separation).toBe('none');
    expect(fit.deviance).toBeLessThan(fit.nullDeviance);
  });

  it('reports complete separation instead of returning a converged fit', () => {
    const x1 = Float64Array.from({ length: 40 }, (_, i) => i - 19.5);
    const y = Float64Array.from(x1, (v) => (v > 0 ? 1 : 0));
    const fit = logitFit([new Float64Array(40).fill(1), x1], y);
    expect(fit.separation).toBe('complete');
    expect(fit.converged).toBe(false);
    expect(fit.separatedRows.length).toBe(40);
  });

  it('drops a collinear column up front and names it', () => {
    const { x, y } = data(200, 3);
    const twice = Float64Array.from(x[1]!, (v) => 2 * v);
    const fit = logitFit([...x, twice], y);
    expect(fit.dropped).toEqual([3]);
    expect(fit.coef).toHaveLength(3);
    expect(Array.from(fit.coef)).toEqual(Array.from(logitFit(x, y).coef));
  });

  it('rejects weights of the wrong length', () => {
    const { x, y } = data(10, 4);
    expect(() => logitFit(x, y, { weights: new Float64Array(9) })).toThrow(/weights: has 9 entries, y has 10/);
  });
});
