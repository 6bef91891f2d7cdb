import { describe, expect, it } from 'vitest';
import { loadGolden, readGoldenData } from '@panel-lab/testing';
import { factorIndex } from '../src/index.js';

// Golden: goldens/results/pca_swiss.json (prcomp, stats::varimax, psych::principal 2.2.9 on R's swiss;
// script goldens/results/pca_swiss.R). Signs: every eigenvector column and every retained loading
// column multiplied by the sign of its column sum, in R as in factorIndex, so columns compare directly.
type Mat = number[][];
interface FactorBlock {
  nfactors: number;
  loadings: Mat; rotation: Mat; rotated_loadings: Mat; score_coefficients: Mat; factor_scores: Mat;
  factor_weights: number[]; index: number[]; pc_weights: number[]; pc_index: number[];
  psych: { loadings: Mat; weights: Mat; scores: Mat; rot_mat: Mat; values: number[] };
}
interface Golden {
  n: number; indicators: string[]; mean: number[]; sd: number[];
  eigenvalues: number[]; sdev: number[]; eigenvectors: Mat; component_loadings: Mat; pc_scores: Mat;
  factors: FactorBlock[];
}
const g = loadGolden<Golden>('pca_swiss');

/** swiss.csv (province, then the six indicators) as the column-major indicator matrix. */
function swiss() {
  const [head, ...lines] = readGoldenData('swiss.csv').trim().split('\n');
  const names = head!.split(',').slice(1).map((s) => s.replaceAll('"', ''));
  const rows = lines.map((l) => l.split(',').slice(1).map(Number));
  return { x: Float64Array.from(names.flatMap((_, j) => rows.map((r) => r[j]!))), n: rows.length, names };
}

// the golden carries 15 significant digits (jsonlite); every value agrees to 1e-12 absolute
const TOL = 1e-12;
const diff = (a: readonly (readonly number[])[] | readonly number[], b: readonly (readonly number[])[] | readonly number[]): number => {
  const fa = (a as unknown[]).flat() as number[];
  const fb = (b as unknown[]).flat() as number[];
  expect(fa.length).toBe(fb.length);
  return Math.max(...fa.map((v, i) => Math.abs(v - fb[i]!)));
};
const col = (m: readonly (readonly number[])[], k: number) => m.map((r) => r[k]!);

describe('factorIndex vs prcomp / stats::varimax / psych::principal on swiss', () => {
  const ind = swiss();
  it('reads the same data', () => {
    expect(ind.n).toBe(g.n);
    expect(ind.names).toEqual(g.indicators);
  });
  const base = factorIndex(ind);

  it('standardisation, eigenvalues, sdev, all eigenvectors, sdev-scaled loadings and PC scores (prcomp(scale. = TRUE))', () => {
    expect(diff(base.standardization.mean, g.mean)).toBeLessThan(TOL);
    expect(diff(base.standardization.sd, g.sd)).toBeLessThan(TOL);
    expect(diff(base.eigenvalues, g.eigenvalues)).toBeLessThan(TOL);
    expect(diff(base.sdev, g.sdev)).toBeLessThan(TOL);
    expect(diff(base.eigenvectors, g.eigenvectors)).toBeLessThan(TOL);
    expect(diff(base.componentLoadings, g.component_loadings)).toBeLessThan(TOL);
    expect(diff(base.pcScores, g.pc_scores)).toBeLessThan(TOL);
  });

  describe.each(g.factors.map((f) => [f.nfactors, f] as const))('%i factors', (m, f) => {
    const res = factorIndex(ind, { nFactors: m });
    it('loadings, varimax rotation matrix and rotated loadings (stats::varimax, eps 1e-5)', () => {
      expect(diff(res.loadings, f.loadings)).toBeLessThan(TOL);
      expect(diff(res.rotation, f.rotation)).toBeLessThan(TOL);
      expect(diff(res.rotatedLoadings, f.rotated_loadings)).toBeLessThan(TOL);
    });
    it('regression score coefficients, per-row factor scores and both composites', () => {
      expect(diff(res.scoreCoefficients, f.score_coefficients)).toBeLessThan(TOL);
      expect(diff(res.factorScores, f.factor_scores)).toBeLessThan(TOL);
      expect(diff(res.factorWeights, f.factor_weights)).toBeLessThan(TOL);
      expect(diff(res.index, f.index)).toBeLessThan(TOL);
      expect(diff(res.pcWeights, f.pc_weights)).toBeLessThan(TOL);
      expect(diff(res.pcIndex, f.pc_index)).toBeLessThan(TOL);
    });
    it('psych::principal: same loadings, score weights and scores up to column order and sign', () => {
      // psych sorts the rotated factors by variance and re-signs them: match each of ours to a psych column
      const used = new Set<number>();
      for (let k = 0; k < m; k++) {
        const ours = col(res.rotatedLoadings, k);
        let best = -1;
        let bestDot = 0;
        for (let c = 0; c < m; c++) {
          if (used.has(c)) continue;
          const dot = ours.reduce((s, v, j) => s + v * f.psych.loadings[j]![c]!, 0);
          if (Math.abs(dot) > Math.abs(bestDot)) (best = c), (bestDot = dot);
        }
        used.add(best);
        const s = Math.sign(bestDot);
        expect(diff(ours.map((v) => s * v), col(f.psych.loadings, best))).toBeLessThan(TOL);
        expect(diff(col(res.scoreCoefficients, k).map((v) => s * v), col(f.psych.weights, best))).toBeLessThan(TOL);
        expect(diff(col(res.factorScores, k).map((v) => s * v), col(f.psych.scores, best))).toBeLessThan(TOL);
      }
      expect(diff(res.eigenvalues, f.psych.values)).toBeLessThan(TOL);
    });
  });
});
