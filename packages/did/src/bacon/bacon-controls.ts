import type { TreatmentSetup } from '../treatment.js';
import type { BaconTwoByTwo } from './types.js';
import { gaussSolve, twfeBalanced, withinBalanced } from '../internal/balanced.js';

export interface BaconControlsPart {
  readonly rows: BaconTwoByTwo[];
  readonly omega: number;
  readonly withinEstimate: number;
  readonly twfe: number;
}

interface Group {
  readonly cohort: number;
  readonly units: number[];
}

/**
 * The decomposition with time-varying controls (Goodman-Bacon 2021 section 5) exactly as
 * bacondecomp 0.1.1 computes it: FWL residualisation of D on X and both FE; the within-timing-
 * group part (Omega, beta_w); and for each unordered pair of timing groups the covariate-adjusted
 * between 2x2 from group x period means of X and of the fitted treatment.
 */
export function baconWithControls(setup: TreatmentSetup, groups: readonly Group[], Y: Float64Array, X: readonly Float64Array[]): BaconControlsPart {
  const nU = setup.nUnits;
  const nT = setup.periods.length;
  const N = nU * nT;
  const D = new Float64Array(N);
  for (let r = 0; r < setup.nRows; r++) D[setup.rowUnit[r]! * nT + setup.rowPeriod[r]!] = setup.treated[r]!;
  const groupOf = new Int32Array(nU);
  groups.forEach((g, gi) => g.units.forEach((u) => (groupOf[u] = gi)));

  // FWL on the full panel: d = residual of D on X and both FE; p = fitted value (with the FE)
  const gamma = twfeBalanced(D, X, nU, nT);
  const Dw = withinBalanced(D, nU, nT);
  const Xw = X.map((x) => withinBalanced(x, nU, nT));
  const d = new Float64Array(N);
  const p = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let fit = 0;
    for (let j = 0; j < X.length; j++) fit += gamma[j]! * Xw[j]![i]!;
    d[i] = Dw[i]! - fit;
    p[i] = D[i]! - d[i]!;
  }
  // within / between split of d
  const dI = rowMeans(d, nU, nT);
  const dT = colMeans(d, nU, nT);
  const dAll = mean(d);
  const nG = groups.length;
  const dKT = new Float64Array(nG * nT);
  const dK = new Float64Array(nG);
  for (let g = 0; g < nG; g++) {
    const units = groups[g]!.units;
    for (let t = 0; t < nT; t++) {
      let s = 0;
      for (const u of units) s += d[u * nT + t]!;
      dKT[g * nT + t] = s / units.length;
      dK[g]! += s / units.length / nT;
    }
  }
  const dItTil = new Float64Array(N);
  const dIktTil = new Float64Array(N);
  for (let u = 0; u < nU; u++) {
    const g = groupOf[u]!;
    for (let t = 0; t < nT; t++) {
      const i = u * nT + t;
      dItTil[i] = d[i]! - dI[u]! - dT[t]! + dAll;
      dIktTil[i] = d[i]! - dI[u]! - (dKT[g * nT + t]! - dK[g]!);
    }
  }
  const omega = popVar(dIktTil) / popVar(dItTil);
  const withinEstimate = popCov(Y, dIktTil) / popVar(dIktTil);

  // group x period means of each control and of p (on the full panel)
  const gMeans = (x: Float64Array): Float64Array => {
    const out = new Float64Array(N);
    for (const g of groups) {
      for (let t = 0; t < nT; t++) {
        let s = 0;
        for (const u of g.units) s += x[u * nT + t]!;
        const m = s / g.units.length;
        for (const u of g.units) out[u * nT + t] = m;
      }
    }
    return out;
  };
  const gX = X.map(gMeans);
  const gP = gMeans(p);

  const rows: BaconTwoByTwo[] = [];
  const first = setup.periods[0]!;
  const norm = (g: number): number => (g <= first ? Number.NEGATIVE_INFINITY : g);
  for (let a = 0; a < nG; a++) {
    const ga = groups[a]!;
    if (ga.cohort === Number.POSITIVE_INFINITY) continue;
    for (let b = 0; b < nG; b++) {
      const gb = groups[b]!;
      if (!(norm(gb.cohort) > norm(ga.cohort))) continue;
      const units = [...ga.units, ...gb.units];
      const sub = (x: Float64Array): Float64Array => {
        const out = new Float64Array(units.length * nT);
        units.forEach((u, k) => out.set(x.subarray(u * nT, (u + 1) * nT), k * nT));
        return out;
      };
      const nS = units.length;
      const Dtil = withinBalanced(sub(D), nS, nT);
      const VD = popVar(Dtil);
      const pg = gX.map((x) => withinBalanced(sub(x), nS, nT));
      // Dtilde ~ 1 + p_g (OLS): fitted values and R^2
      // a pair without treatment variation within it (always vs never treated) has VD = 0: its
      // D-part vanishes and only the covariate-driven between part remains
      const hasD = VD > 1e-14;
      const { fitted, r2 } = hasD ? olsFit(Dtil, pg) : { fitted: new Float64Array(Dtil.length), r2: 0 };
      const ptil = withinBalanced(sub(gP), nS, nT);
      const dp = fitted.map((v, i) => v - ptil[i]!);
      const Vdp = popVar(dp);
      const ys = sub(Y);
      const BD = hasD ? twfeBalanced(ys, [sub(D), ...gX.map(sub)], nS, nT)[0]! : 0;
      const Bb = twfeBalanced(ys, [dp], nS, nT)[0]!;
      const denom = (1 - r2) * VD + Vdp;
      const weight = (nS * nT) ** 2 * denom;
      const estimate = ((1 - r2) * VD * BD + Vdp * Bb) / denom;
      const untreated = gb.cohort === Number.POSITIVE_INFINITY ? null : norm(gb.cohort) === Number.NEGATIVE_INFINITY ? ('always' as const) : gb.cohort;
      const type =
        gb.cohort === Number.POSITIVE_INFINITY ? 'Treated vs Untreated' : ga.cohort <= first || gb.cohort <= first ? 'Later vs Always Treated' : 'Both Treated';
      rows.push({ treated: ga.cohort, untreated, type, estimate, weight });
    }
  }
  const total = rows.reduce((s, r) => s + r.weight, 0);
  const scaled = rows.map((r) => Object.freeze({ ...r, weight: r.weight / total }));
  const twfe = twfeBalanced(Y, [D, ...X], nU, nT)[0]!;
  return { rows: scaled, omega, withinEstimate, twfe };
}

function olsFit(y: Float64Array, xs: readonly Float64Array[]): { fitted: Float64Array; r2: number } {
  const n = y.length;
  const cols = [new Float64Array(n).fill(1), ...xs];
  const k = cols.length;
  const a = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let p = 0; p < k; p++) {
    for (let q = 0; q <= p; q++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += cols[p]![i]! * cols[q]![i]!;
      a[p * k + q] = a[q * k + p] = s;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += cols[p]![i]! * y[i]!;
    b[p] = s;
  }
  const beta = gaussSolve(a, b, k);
  const fitted = new Float64Array(n);
  for (let p = 0; p < k; p++) for (let i = 0; i < n; i++) fitted[i]! += beta[p]! * cols[p]![i]!;
  const my = mean(y);
  let rss = 0;
  let tss = 0;
  for (let i = 0; i < n; i++) {
    rss += (y[i]! - fitted[i]!) ** 2;
    tss += (y[i]! - my) ** 2;
  }
  return { fitted, r2: 1 - rss / tss };
}

function mean(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v;
  return s / x.length;
}
function popVar(x: Float64Array): number {
  return popCov(x, x);
}
function popCov(x: Float64Array, y: Float64Array): number {
  const mx = mean(x);
  const my = mean(y);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - mx) * (y[i]! - my);
  return s / x.length;
}
function rowMeans(x: Float64Array, nU: number, nT: number): Float64Array {
  const out = new Float64Array(nU);
  for (let u = 0; u < nU; u++) {
    let s = 0;
    for (let t = 0; t < nT; t++) s += x[u * nT + t]!;
    out[u] = s / nT;
  }
  return out;
}
function colMeans(x: Float64Array, nU: number, nT: number): Float64Array {
  const out = new Float64Array(nT);
  for (let u = 0; u < nU; u++) for (let t = 0; t < nT; t++) out[t]! += x[u * nT + t]! / nU;
  return out;
}
