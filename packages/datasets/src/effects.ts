import type { PilotType } from './facts.js';

/** Parameters of the true effects built into the synthetic panel (all on the log scale unless stated). */
export interface TrueEffects {
  /** Direct effect of the big-data pilot on ln industrial electricity at full ramp-up, by pilot type. */
  readonly directByPilotType: Readonly<Record<PilotType, number>>;
  /** Share of the full effect reached at event time 0, 1, 2, ... (the last value holds afterwards). */
  readonly dynamics: readonly number[];
  /** Heterogeneity: the direct effect is multiplied by 1 + innovShift (innov_high - 1/2) + ecoShift (eco_high - 1/2). */
  readonly innovShift: number;
  readonly ecoShift: number;
  /**
   * Mediators: the pilot shifts each by `a` at full ramp-up (ln patents, ln postal per capita,
   * digital transformation in percentage points) and each shifts ln industrial electricity by `b` per unit.
   */
  readonly mediators: Readonly<Record<'patents' | 'postal' | 'digital', { readonly a: number; readonly b: number }>>;
  /** Spillover on ln industrial electricity of having a treated city within each ring (rings add up). */
  readonly spillover: readonly [number, number, number];
  /** Ring bands in km: (0,r1], (r1,r2], (r2,r3]. */
  readonly ringsKm: readonly [number, number, number];
  /**
   * Response of ln industrial electricity to the digital-economy index x in [0,1]:
   * g(x, z) = linear x - quadratic exp(k.z) x^2, z = standardised ln conditioning variables.
   */
  readonly response: {
    readonly linear: number;
    readonly quadratic: number;
    readonly kGdpPc: number;
    readonly kFdiPc: number;
    readonly kTech: number;
    readonly kInnovation: number;
  };
  /** SD of the idiosyncratic city-year noise of ln industrial electricity (AR(1), rho 0.5). */
  readonly noiseSd: number;
}

export const DEFAULT_TRUE_EFFECTS: TrueEffects = Object.freeze({
  directByPilotType: Object.freeze({ guizhou: -0.12, cross_regional: -0.25, regional_demo: -0.35, infrastructure: -0.02 }),
  dynamics: Object.freeze([0.4, 0.7, 1]),
  innovShift: 0.4,
  ecoShift: 0.4,
  mediators: Object.freeze({
    patents: Object.freeze({ a: 0.03, b: 0 }),
    postal: Object.freeze({ a: 0.15, b: -0.2 }),
    digital: Object.freeze({ a: 0.5, b: -0.06 }),
  }),
  spillover: Object.freeze([-0.05, -0.03, -0.015]) as readonly [number, number, number],
  ringsKm: Object.freeze([100, 200, 300]) as readonly [number, number, number],
  response: Object.freeze({ linear: 0.6, quadratic: 0.75, kGdpPc: 0.35, kFdiPc: -0.15, kTech: 0.2, kInnovation: 0.15 }),
  noiseSd: 0.05,
});

/** Fixed centring/scaling of the ln conditioning variables in the response function (not sample-dependent). */
export const RESPONSE_CENTRES = Object.freeze({
  lnGdpPc: { mean: 10.75, sd: 0.45 },
  lnFdiPc: { mean: 4.6, sd: 1.2 },
  lnTech: { mean: 5.5, sd: 0.9 },
  lnInnovation: { mean: 1.0, sd: 1.1 },
});

export interface ConditioningValues {
  /** GDP per capita, yuan. */
  readonly gdpPc: number;
  /** FDI per capita, USD. */
  readonly fdiPc: number;
  /** S&T expenditure per capita, yuan. */
  readonly techAttention: number;
  /** Invention-patent grants per 10^4 persons. */
  readonly innovation: number;
}

/**
 * The true response g(x, z) of ln industrial electricity to the digital-economy index x: an inverted U
 * whose curvature (and so its turning point linear / (2 quadratic e^{k.z})) rises with GDP per
 * capita, S&T attention and innovation and falls with FDI.
 */
export function deResponse(x: number, c: ConditioningValues, p: TrueEffects['response'] = DEFAULT_TRUE_EFFECTS.response): number {
  return p.linear * x - p.quadratic * Math.exp(curvatureIndex(c, p)) * x * x;
}

function z(v: number, s: { readonly mean: number; readonly sd: number }): number {
  return (Math.log(v) - s.mean) / s.sd;
}

/** k.z, clipped to [-1.5, 1.5] so extreme cities keep a sane curvature. */
export function curvatureIndex(c: ConditioningValues, p: TrueEffects['response']): number {
  const k =
    p.kGdpPc * z(c.gdpPc, RESPONSE_CENTRES.lnGdpPc) +
    p.kFdiPc * z(Math.max(c.fdiPc, 1e-3), RESPONSE_CENTRES.lnFdiPc) +
    p.kTech * z(c.techAttention, RESPONSE_CENTRES.lnTech) +
    p.kInnovation * z(c.innovation, RESPONSE_CENTRES.lnInnovation);
  return Math.max(-1.5, Math.min(1.5, k));
}

/** Ramp-up share at event time e (0 before treatment). */
export function rampAt(dynamics: readonly number[], e: number): number {
  if (e < 0 || dynamics.length === 0) return 0;
  return dynamics[Math.min(e, dynamics.length - 1)]!;
}

/** Merges user overrides into the defaults and validates them (errors name the option). */
export function resolveEffects(overrides: Partial<TrueEffects> = {}): TrueEffects {
  const e: TrueEffects = { ...DEFAULT_TRUE_EFFECTS, ...overrides };
  const finite = (name: string, v: number) => {
    if (!Number.isFinite(v)) throw new Error(`effects.${name} must be a finite number, got ${v}`);
  };
  for (const [k, v] of Object.entries(e.directByPilotType)) finite(`directByPilotType.${k}`, v);
  e.dynamics.forEach((v, i) => finite(`dynamics[${i}]`, v));
  e.spillover.forEach((v, i) => finite(`spillover[${i}]`, v));
  if (e.spillover.length !== 3 || e.ringsKm.length !== 3) throw new Error('effects.spillover and effects.ringsKm need exactly 3 rings');
  if (!(e.ringsKm[0] > 0 && e.ringsKm[1] > e.ringsKm[0] && e.ringsKm[2] > e.ringsKm[1])) throw new Error(`effects.ringsKm must increase, got ${e.ringsKm.join(', ')}`);
  if (!(e.noiseSd >= 0)) throw new Error(`effects.noiseSd must be >= 0, got ${e.noiseSd}`);
  return Object.freeze(e);
}
