/**
 * Conditional and hybrid (C-LF, and C-F under Delta^SD) confidence sets for theta = l'tau_post under Delta^SD(M) and
 * Delta^RM(Mbar), by inverting the ARP test on a grid of theta values (HonestDiD 0.2.6's grids).
 */
import { ArpSystem, conditionalTest, FLCI_EDGE, type Hybrid } from './arp.js';
import { flciDeltaSD } from './flci.js';
import { leastFavorableCvNoNuisance, rejectNoNuisance } from './no-nuisance.js';
import { lpSolver, type LpSolver } from './lp.js';
import { inverse, matMul, matVec, quadForm, range, subMatrix, symmetricSqrt, transpose, type Mat } from './matrix.js';
import { RRandom, quantileType7, rmvnormR } from './r-rng.js';
import { deltaRMFixedS, deltaSD, deltaSDRMFixedS, gammaFor, postPeriodRows, withShape, type Polyhedron, type ShapeRestriction } from './restrictions.js';
import type { ConditionalMethod, ConditionalOptions, EventStudyEstimates, SensitivityCi } from './types.js';
import { checkEstimates, resolveLVec } from './validate.js';

const LF_SIMS = 1000;

/** R's seq(from, to, length.out = n). */
export function rSeq(from: number, to: number, n: number): number[] {
  if (n === 1) return [from];
  const by = (to - from) / (n - 1);
  return range(0, n).map((i) => (i === 0 ? from : i === n - 1 ? to : from + i * by));
}

interface Prepared {
  readonly es: EventStudyEstimates;
  readonly l: number[];
  readonly alpha: number;
  readonly method: ConditionalMethod;
  readonly kappa: number;
  readonly gridPoints: number;
  readonly seed: number;
  readonly sdTheta: number;
  readonly shape: ShapeRestriction;
}

function prepare(es: EventStudyEstimates, o: ConditionalOptions, defaultMethod: ConditionalMethod): Prepared {
  checkEstimates(es);
  const l = resolveLVec(es, o.lVec);
  const alpha = o.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`sensitivity: alpha must be in (0, 1), got ${alpha}`);
  const post = range(es.numPrePeriods, es.numPrePeriods + es.numPostPeriods);
  const sdTheta = Math.sqrt(quadForm(subMatrix(es.sigma as Mat, post, post), l));
  return {
    es, l, alpha, method: o.method ?? defaultMethod, kappa: o.hybridKappa ?? alpha / 10,
    gridPoints: o.gridPoints ?? 1000, seed: o.seed ?? 0, sdTheta,
    shape: { ...(o.biasDirection ? { biasDirection: o.biasDirection } : {}), ...(o.monotonicityDirection ? { monotonicityDirection: o.monotonicityDirection } : {}) },
  };
}

/** Least-favourable critical value: the (1 - kappa) quantile of the eta statistic under mu = 0. */
export function leastFavorableCv(solver: LpSolver, X: Mat, sigma: Mat, kappa: number, seed: number): number {
  const draws = rmvnormR(new RRandom(seed), LF_SIMS, symmetricSqrt(sigma));
  const sys = new ArpSystem(solver, X, sigma);
  try {
    const etas: number[] = [];
    for (const xi of draws) {
      const r = sys.eta(xi);
      if (r.ok) etas.push(r.eta);
    }
    return quantileType7(etas, 1 - kappa);
  } finally {
    sys.dispose();
  }
}

/** The level-kappa FLCI that the C-F hybrid's first stage inverts: weights u and half-length. */
interface FirstStageFlci {
  readonly u: readonly number[];
  readonly halfLength: number;
}

/** Accept/reject of every grid theta for one polyhedron, moments restricted to the post-period rows. */
function acceptance(solver: LpSolver, p: Prepared, poly: Polyhedron, grid: readonly number[], known?: readonly boolean[], flci?: FirstStageFlci) {
  if (p.es.numPostPeriods === 1) return acceptanceNoNuisance(p, poly, grid, known, flci);
  if (p.method === 'C-F' && !flci) throw new Error('sensitivity: C-F needs its first-stage FLCI');
  const { es, l } = p;
  const nPre = es.numPrePeriods;
  const A = poly.A;
  const Apost = A.map((row) => row.slice(nPre));
  const AG = matMul(Apost, inverse(gammaFor(l)));
  const rows = es.numPostPeriods > 1 ? postPeriodRows(A, nPre) : range(0, A.length);
  const beta = es.betahat as number[];
  const Y = matVec(A, beta).map((v, i) => v - poly.d[i]!);
  const sigmaY = matMul(matMul(A, es.sigma as Mat), transpose(A));
  const yR = rows.map((i) => Y[i]!);
  const a1 = rows.map((i) => AG[i]![0]!);
  const X = rows.map((i) => AG[i]!.slice(1));
  const sigmaR = subMatrix(sigmaY, rows, rows);
  const lf: Hybrid | null = p.method === 'C-LF' ? { kind: 'LF', kappa: p.kappa, lfCv: leastFavorableCv(solver, X, sigmaR, p.kappa, p.seed) } : null;
  const uBeta = flci ? flci.u.reduce((acc, v, j) => acc + v * beta[j]!, 0) : 0;
  const uCovAll = flci ? matVec(A, matVec(es.sigma as Mat, flci.u)) : [];
  const uCov = rows.map((i) => uCovAll[i]!);
  const hybridAt = (theta: number): Hybrid => {
    if (lf) return lf;
    if (flci) return { kind: 'FLCI', kappa: p.kappa, halfLength: flci.halfLength, gap: uBeta - theta, uCov };
    return { kind: 'ARP' };
  };
  let lpFailures = 0;
  const sys = new ArpSystem(solver, X, sigmaR);
  try {
    const accept = grid.map((theta, g) => {
      // In a union of acceptance regions a point already accepted needs no further test.
      if (known?.[g]) return true;
      const y = yR.map((v, i) => v - a1[i]! * theta);
      const t = conditionalTest(sys, y, p.alpha, hybridAt(theta));
      if (t.lpFailed) lpFailures++;
      return !t.reject;
    });
    return { accept, lpFailures };
  } finally {
    sys.dispose();
  }
}

/** One post period: theta is beta_post itself, and the test has no nuisance parameters. */
function acceptanceNoNuisance(p: Prepared, poly: Polyhedron, grid: readonly number[], known?: readonly boolean[], flci?: FirstStageFlci) {
  const { es } = p;
  const sigma = es.sigma as Mat;
  const A = poly.A;
  const sigmaY = matMul(matMul(A, sigma), transpose(A));
  const lf = p.method === 'C-LF' ? { kappa: p.kappa, cv: leastFavorableCvNoNuisance(sigmaY, p.kappa, p.seed) } : undefined;
  if (p.method === 'C-F' && !flci) throw new Error('sensitivity: C-F needs its first-stage FLCI');
  // C-F: first stage |u'y| <= H, then the test at the adjusted size with the two FLCI rows added
  // to the conditioning event (HonestDiD's .testInIdentifiedSet_FLCI_Hybrid).
  const first = flci ? { A: [[...flci.u], flci.u.map((v) => -v)], d: [flci.halfLength, flci.halfLength] } : undefined;
  const test = first
    ? { A, d: poly.d, sigma, alpha: (p.alpha - p.kappa) / (1 - p.kappa), extraRows: first }
    : { A, d: poly.d, sigma, alpha: p.alpha, ...(lf ? { lf } : {}) };
  const post = es.numPrePeriods;
  const scale = p.l[0]!;
  const accept = grid.map((theta, g) => {
    if (known?.[g]) return true;
    const y = es.betahat.map((v, i) => (i === post ? v - theta / scale : v));
    if (first && first.A.some((row, r) => row.reduce((acc, v, j) => acc + v * y[j]!, 0) >= first.d[r]! * (1 - FLCI_EDGE))) return false;
    return !rejectNoNuisance(test, y);
  });
  return { accept, lpFailures: 0 };
}

function summarise(grid: readonly number[], accept: readonly boolean[], lpFailures: number, parameter: number, method: Prepared['method'], delta: SensitivityCi['delta']): SensitivityCi {
  const acc = grid.filter((_, i) => accept[i]);
  return {
    parameter,
    lb: acc.length ? Math.min(...acc) : null,
    ub: acc.length ? Math.max(...acc) : null,
    method,
    delta,
    openAtGridEnd: accept[0]! || accept[accept.length - 1]!,
    lpFailures,
  };
}

/** Identified set of theta under Delta^SD(M) at betahat = 0 (centre of the default grid). */
function idSetSD(solver: LpSolver, es: EventStudyEstimates, l: readonly number[], M: number, shape: ShapeRestriction) {
  const { A, d } = withShape(deltaSD(es.numPrePeriods, es.numPostPeriods, M), es.numPrePeriods, es.numPostPeriods, shape);
  const n = es.numPrePeriods + es.numPostPeriods;
  const pre = range(0, es.numPrePeriods).map((i) => range(0, n).map((j) => (i === j ? 1 : 0)));
  const cost = [...new Array<number>(es.numPrePeriods).fill(0), ...l];
  const problem = {
    cost, rows: [...A, ...pre],
    rowLower: [...d.map(() => -Infinity), ...pre.map(() => 0)],
    rowUpper: [...d, ...pre.map(() => 0)],
  };
  const max = solver.solve({ ...problem, maximize: true });
  const min = solver.solve(problem);
  if (max.status !== 'optimal' || min.status !== 'optimal') throw new Error(`sensitivity: identified-set LP under Delta^SD(M=${M}) did not solve (${max.status}/${min.status})`);
  return { lb: -max.objective, ub: -min.objective };
}

/**
 * Conditional / C-LF / C-F confidence sets under Delta^SD(M) for each M (HonestDiD's
 * computeConditionalCS_DeltaSD). C-F tests first whether theta lies in the level-kappa FLCI and
 * searches the grid over that FLCI (HonestDiD's default grid for it).
 */
export async function conditionalCiDeltaSD(es: EventStudyEstimates, Mvec: readonly number[], options: ConditionalOptions = {}): Promise<SensitivityCi[]> {
  const p = prepare(es, options, 'Conditional');
  if (p.method === 'C-F') {
    if (p.shape.biasDirection || p.shape.monotonicityDirection) throw new Error("sensitivity: method 'C-F' is for Delta^SD without sign or monotonicity restrictions; use 'C-LF' or 'Conditional'");
  }
  const solver = await lpSolver();
  const out: SensitivityCi[] = [];
  for (const M of Mvec) {
    if (!(M >= 0)) throw new Error(`sensitivity: Delta^SD M must be >= 0, got ${M}`);
    let lb = options.gridLb;
    let ub = options.gridUb;
    let flci: FirstStageFlci | undefined;
    if (p.method === 'C-F') {
      // HonestDiD computes this FLCI with its default seed (0) whatever the seed argument.
      const [f] = await flciDeltaSD(es, [M], { lVec: p.l, alpha: p.kappa });
      flci = { u: f!.optimalVec, halfLength: f!.optimalHalfLength };
      lb ??= f!.lb;
      ub ??= f!.ub;
    }
    if (lb === undefined || ub === undefined) {
      const id = idSetSD(solver, es, p.l, M, p.shape);
      lb ??= id.lb - 20 * p.sdTheta;
      ub ??= id.ub + 20 * p.sdTheta;
    }
    const grid = rSeq(lb, ub, p.gridPoints);
    const poly = withShape(deltaSD(es.numPrePeriods, es.numPostPeriods, M), es.numPrePeriods, es.numPostPeriods, p.shape);
    const { accept, lpFailures } = acceptance(solver, p, poly, grid, undefined, flci);
    const ci = summarise(grid, accept, lpFailures, M, p.method, 'DeltaSD');
    // The C-F grid is the first-stage FLCI itself: its ends being accepted is expected, not a sign
    // of a truncated CI (HonestDiD does not warn for it either).
    out.push(p.method === 'C-F' && options.gridLb === undefined && options.gridUb === undefined ? { ...ci, openAtGridEnd: false } : ci);
  }
  return out;
}

/**
 * Conditional / C-LF confidence sets under Delta^RM(Mbar): the union over the pre-period
 * difference s that sets the scale and its sign (HonestDiD's computeConditionalCS_DeltaRM).
 */
export function conditionalCiDeltaRM(es: EventStudyEstimates, Mbarvec: readonly number[], options: ConditionalOptions = {}): Promise<SensitivityCi[]> {
  return unionOverS(es, Mbarvec, options, 'DeltaRM');
}

/**
 * Conditional / C-LF confidence sets under Delta^SDRM(Mbar), second differences bounded relative to
 * the largest pre-period one (HonestDiD's computeConditionalCS_DeltaSDRM; needs numPre >= 2).
 */
export function conditionalCiDeltaSDRM(es: EventStudyEstimates, Mbarvec: readonly number[], options: ConditionalOptions = {}): Promise<SensitivityCi[]> {
  if (es.numPrePeriods < 2) return Promise.reject(new Error('sensitivity: Delta^SDRM needs numPrePeriods >= 2'));
  return unionOverS(es, Mbarvec, options, 'DeltaSDRM');
}

async function unionOverS(es: EventStudyEstimates, Mbarvec: readonly number[], options: ConditionalOptions, delta: 'DeltaRM' | 'DeltaSDRM'): Promise<SensitivityCi[]> {
  const p = prepare(es, options, 'C-LF');
  if (p.method === 'C-F') throw new Error(`sensitivity: method 'C-F' (FLCI hybrid) exists only for the smoothness restriction; use 'C-LF' or 'Conditional' for ${delta}`);
  const solver = await lpSolver();
  const lb = options.gridLb ?? -20 * p.sdTheta;
  const ub = options.gridUb ?? 20 * p.sdTheta;
  const grid = rSeq(lb, ub, p.gridPoints);
  const build = delta === 'DeltaRM' ? deltaRMFixedS : deltaSDRMFixedS;
  const minS = delta === 'DeltaRM' ? -(es.numPrePeriods - 1) : -(es.numPrePeriods - 2);
  return Mbarvec.map((Mbar) => {
    if (!(Mbar >= 0)) throw new Error(`sensitivity: ${delta} Mbar must be >= 0, got ${Mbar}`);
    const union = new Array<boolean>(grid.length).fill(false);
    let failures = 0;
    for (let s = minS; s <= 0; s++) {
      for (const positive of [true, false]) {
        let poly = withShape(build(es.numPrePeriods, es.numPostPeriods, Mbar, s, positive), es.numPrePeriods, es.numPostPeriods, p.shape);
        if (es.numPostPeriods === 1) {
          const rows = postPeriodRows(poly.A, es.numPrePeriods);
          poly = { A: rows.map((i) => poly.A[i]!), d: rows.map((i) => poly.d[i]!) };
        }
        const { accept, lpFailures } = acceptance(solver, p, poly, grid, union);
        failures += lpFailures;
        accept.forEach((a, i) => {
          if (a) union[i] = true;
        });
      }
    }
    return summarise(grid, union, failures, Mbar, p.method, delta);
  });
}
