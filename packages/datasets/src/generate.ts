import { cityCarbonAccounts, loadGridFactorTable, logColumn, seed002Defaults, seed002Emissions, type CarbonAccounts } from '@panel-lab/carbon';
import { createRng, type Rng } from '@panel-lab/compute';
import type { Codes, PanelFrame } from '@panel-lab/panel';
import { buildFrame, type FrameColumns } from './arrow-frame.js';
import { addGaps, citySizeClasses, cohortRecentring, rowEffectsFrom } from './generate-helpers.js';
import { LEVEL_UNITS } from './units.js';
import { CALIBRATION, SHARE_TARGETS } from './calibration.js';
import { deResponse, rampAt, resolveEffects, type TrueEffects } from './effects.js';
import { PILOT_TYPES } from './facts.js';
import { buildProfiles } from './profiles.js';
import { ringExposureYears } from './spatial.js';
import { computeTruth, type GroundTruth, type RowEffects } from './truth.js';

export interface GenerateOptions {
  /** Integer seed (default 20240601). Same seed and options give an identical panel. */
  readonly seed?: number;
  /** Number of cities: 286 = the real cities (default); fewer = a seeded sample; more = jittered replicas. */
  readonly cities?: number;
  /** Number of years from 2011, or [first, last] (default 2011..2019). */
  readonly years?: number | readonly [number, number];
  readonly effects?: Partial<TrueEffects>;
  /** Blank a few isolated interior cells of six control variables (default true), as in yearbook data. */
  readonly gaps?: boolean;
  /**
   * Grid factors used by the accounting: 'fixed_2016' (default) = the verified 2016-edition OM for every
   * year, so untreated CO2 trends stay parallel across cohorts; 'by_year' = the seed's year-by-year
   * factors (recalled/interpolated years included), whose grid-specific trends are a realistic
   * parallel-trends violation for the pilot cities (concentrated in the North and South China grids).
   */
  readonly gridFactors?: 'fixed_2016' | 'by_year';
}

export interface SyntheticMeta {
  readonly dgp: 'panel-lab china-city DGP v1';
  readonly seed: number;
  readonly cities: number;
  readonly years: readonly [number, number];
  readonly rows: number;
  readonly replicated: boolean;
  /** Units of the level columns. */
  readonly units: Readonly<Record<string, string>>;
  /** Missing cells put in on purpose (interpolation-worthy gaps), per column. */
  readonly gaps: Readonly<Record<string, number>>;
  /** Rows where heat is 0, so ln_co2_heat is missing (counted, not dropped). */
  readonly zeroHeatRows: number;
  /** Mean source shares over city-years vs the seed-000 targets. */
  readonly shares: Readonly<Record<keyof typeof SHARE_TARGETS, { mean: number; target: number }>>;
  readonly accounting: CarbonAccounts['meta'];
  readonly policyData: string;
  readonly generatedInMs: number;
}

export interface SyntheticPanel {
  readonly frame: PanelFrame;
  readonly truth: GroundTruth;
  readonly meta: SyntheticMeta;
  /** Per-row true effects (log scale); typed arrays, kept out of the JSON-safe truth. */
  readonly rowEffects: RowEffects;
}

const LN_1E4 = Math.log(1e4);
const logistic = (x: number) => 1 / (1 + Math.exp(-x));

function yearRange(years: GenerateOptions['years']): [number, number] {
  if (years === undefined) return [2011, 2019];
  if (typeof years === 'number') {
    if (!Number.isInteger(years) || years < 2) throw new Error(`option years must be an integer >= 2, got ${years}`);
    return [2011, 2011 + years - 1];
  }
  const [a, b] = years;
  if (!Number.isInteger(a) || !Number.isInteger(b) || b <= a) throw new Error(`option years must be [first, last] with last > first, got [${a}, ${b}]`);
  return [a, b];
}

function normals(rng: Rng, n: number, sd = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = sd * rng.normal();
  return out;
}

/** Generates the synthetic China city panel with its ground truth (see README for the DGP). */
export function generateChinaPanel(options: GenerateOptions = {}): SyntheticPanel {
  const t0 = performance.now();
  const seed = options.seed ?? 20240601;
  if (!Number.isInteger(seed)) throw new Error(`option seed must be an integer, got ${seed}`);
  const effects = resolveEffects(options.effects);
  const [firstYear, lastYear] = yearRange(options.years);
  const T = lastYear - firstYear + 1;
  const root = createRng(seed);
  const profiles = buildProfiles(options.cities ?? 286, root.stream(0));
  const n = profiles.n;
  const N = n * T;
  const cityRng = root.stream(1);
  const rowRng = root.stream(2);
  // One bound function, not a closure per row (closures per row cost more than the arithmetic).
  const e: () => number = rowRng.normal.bind(rowRng);
  const C = CALIBRATION;

  // ---- city-level latent factors and fixed effects (correlated like real city data) ----
  const uSize = normals(cityRng, n);
  const uDev = normals(cityRng, n);
  const uInd = normals(cityRng, n);
  const uOpen = new Float64Array(n);
  const uInnov = new Float64Array(n);
  const growth = new Float64Array(n);
  const hasHeat = new Uint8Array(n);
  const lgpc0 = new Float64Array(n);
  const lpop0 = new Float64Array(n);
  const rankOf = profiles.adminRank.levels;
  const regionOf = profiles.region.levels;
  for (let i = 0; i < n; i++) {
    uOpen[i] = 0.5 * uDev[i]! + 0.87 * cityRng.normal();
    uInnov[i] = 0.6 * uDev[i]! + 0.8 * cityRng.normal();
    growth[i] = 0.075 + 0.008 * cityRng.normal();
    const rank = rankOf[profiles.adminRank.codes[i]!]!;
    const region = regionOf[profiles.region.codes[i]!]!;
    lgpc0[i] = C.lnGdpPc2011 + (C.gdpPcRegionShift[region] ?? 0) + C.gdpPcTierShift * profiles.topTier[i]! +
      (rank === 'provincial-capital' ? C.gdpPcCapitalShift : 0) + 0.3 * uDev[i]!;
    lpop0[i] = C.lnPop + (C.popRankShift[rank] ?? 0) + 0.45 * uSize[i]!;
    hasHeat[i] = profiles.lat[i]! >= C.heatingLatitude || cityRng.uniform() < C.southernHeatShare ? 1 : 0;
  }
  // City fixed effects of each equation (eta), one column per equation.
  const ETA = ['de', 'inno', 'post', 'dig', 'pat', 'eInd', 'eRes', 'eOth', 'heat', 'pas', 'fre', 'tg', 'lpg', 'ng', 'fdi', 'ret', 'lib', 'fa', 'edu', 'sci', 'loan', 'dep', 'hc', 'urb', 'land', 'road', 'ra', 'gp', 'pol', 'tfp', 'bexp', 'brev', 'ter', 'pri', 'inc', 'ind1', 'ind2', 'ind3', 'ind4', 'ind5'] as const;
  type Eta = (typeof ETA)[number];
  const eta = {} as Record<Eta, Float64Array>;
  for (const k of ETA) eta[k] = normals(cityRng, n);
  const yearShock = normals(cityRng, T, 0.01);

  // ---- column storage ----
  const col = (): Float64Array => new Float64Array(N);
  const c = {
    city_code: col(), year: col(), lat: col(), lon: col(), profile_code: col(), first_tier: col(),
    gdp: col(), ln_gdp: col(), pop: col(), ln_pop: col(), gdp_pc: col(), tertiary_share: col(), secondary_share: col(),
    fdi: col(), ln_fdi: col(), retail: col(), ln_retail: col(), library: col(), ln_library: col(), fixed_assets: col(), ln_fixed_assets: col(),
    edu_exp: col(), ln_edu_exp: col(), sci_exp: col(), ln_sci_exp: col(), loans: col(), ln_loans: col(), deposits: col(),
    de_index: col(), internet_per100: col(), software_share: col(), telecom_pc: col(), mobile_per100: col(), digital_finance: col(),
    fdi_pc: col(), tech_attention: col(), innovation: col(),
    disp_income: col(), ts_ratio: col(), human_capital: col(), fai_pc: col(), urbanization: col(), land_pc: col(), road_density: col(),
    road_area_pc: col(), green_patents_pc: col(), pollution_index: col(), fdi_gdp: col(), tfp: col(), fiscal_exp_gdp: col(), fiscal_rev_gdp: col(),
    budget_exp_pc: col(), budget_rev_pc: col(), sci_share_exp: col(), loans_pc: col(), fin_dev: col(),
    mech_patents: col(), ln_mech_patents: col(), mech_postal_pc: col(), ln_mech_postal_pc: col(), mech_digital_transform: col(),
    elec_total: col(), elec_industrial: col(), elec_residential: col(), heat_supply: col(), passenger_turnover: col(), freight_turnover: col(),
    town_gas: col(), lpg: col(), natural_gas: col(),
    bigdata_year: col(), bigdata_treated: col(), broadband_year: col(), clean_energy_year: col(), digital_pilot_year: col(),
    innov_high: col(), eco_high: col(), ring_0_100: col(), ring_100_200: col(), ring_200_300: col(),
  };

  // ---- pass 1: covariates (none depends on any treatment) ----
  for (let i = 0; i < n; i++) {
    const top = profiles.topTier[i]!;
    let arDe = 0;
    for (let t = 0; t < T; t++) {
      const r = i * T + t;
      const year = firstYear + t;
      const tau = year - 2011;
      c.city_code[r] = profiles.code[i]!;
      c.year[r] = year;
      c.lat[r] = profiles.lat[i]!;
      c.lon[r] = profiles.lon[i]!;
      c.profile_code[r] = profiles.profileCode[i]!;
      c.first_tier[r] = profiles.firstTier[i]!;
      const lgpc = lgpc0[i]! + growth[i]! * tau - 0.0025 * tau * tau + yearShock[t]! + 0.03 * e();
      const lpop = lpop0[i]! + 0.006 * tau + 0.01 * e();
      const lgdp = lgpc + lpop - LN_1E4; // GDP in 10^8 yuan = GDP pc (yuan) x pop (10^4) / 10^4
      c.gdp_pc[r] = Math.exp(lgpc);
      c.ln_pop[r] = lpop;
      c.pop[r] = Math.exp(lpop);
      c.ln_gdp[r] = lgdp;
      c.gdp[r] = Math.exp(lgdp);
      const xg = lgdp - 7.3;
      const xp = lgpc - 10.6;
      // industry structure
      const primary = logistic(-2.3 - 0.5 * uDev[i]! - 0.04 * tau + 0.3 * eta.pri[i]! + 0.03 * e());
      const tertiaryOfRest = logistic(-0.1 + 0.35 * uDev[i]! - 0.3 * uInd[i]! + 0.6 * top + 0.045 * tau + 0.25 * eta.ter[i]! + 0.03 * e());
      c.tertiary_share[r] = 100 * (1 - primary) * tertiaryOfRest;
      c.secondary_share[r] = 100 * (1 - primary) * (1 - tertiaryOfRest);
      c.ts_ratio[r] = c.tertiary_share[r]! / c.secondary_share[r]!;
      // seed-000 controls (levels in yearbook units; logs as the seed uses them)
      c.ln_fdi[r] = 10.3 + 1.3 * xg + 0.6 * uOpen[i]! - 0.01 * tau + 0.7 * eta.fdi[i]! + 0.2 * e();
      c.ln_retail[r] = lgdp + Math.log(0.38) + 0.05 * uDev[i]! + 0.15 * eta.ret[i]! + 0.03 * e();
      c.ln_library[r] = 5.6 + 0.7 * (lpop - 6) + 0.5 * xp + 0.03 * tau + 0.5 * eta.lib[i]! + 0.05 * e();
      c.ln_fixed_assets[r] = lgdp + Math.log(0.8) + 0.02 * tau + 0.25 * eta.fa[i]! + 0.08 * e();
      c.ln_edu_exp[r] = lgdp + Math.log(0.035) + 0.2 * (lpop - 6) - 0.2 * xp + 0.2 * eta.edu[i]! + 0.04 * e();
      c.ln_sci_exp[r] = lgdp + Math.log(0.004) + 0.4 * uInnov[i]! + 0.05 * tau + 0.45 * eta.sci[i]! + 0.12 * e();
      c.ln_loans[r] = lgdp + Math.log(1.1) + 0.3 * top + 0.03 * tau + 0.35 * eta.loan[i]! + 0.04 * e();
      const lnDeposits = lgdp + Math.log(1.5) + 0.3 * top + 0.02 * tau + 0.3 * eta.dep[i]! + 0.03 * e();
      c.fdi[r] = Math.exp(c.ln_fdi[r]!);
      c.retail[r] = Math.exp(c.ln_retail[r]!);
      c.library[r] = Math.exp(c.ln_library[r]!);
      c.fixed_assets[r] = Math.exp(c.ln_fixed_assets[r]!);
      c.edu_exp[r] = Math.exp(c.ln_edu_exp[r]!);
      c.sci_exp[r] = Math.exp(c.ln_sci_exp[r]!);
      c.loans[r] = Math.exp(c.ln_loans[r]!);
      c.deposits[r] = Math.exp(lnDeposits);
      // digital economy: latent index in (0,1) and its five noisy indicators
      arDe = t === 0 ? e() : 0.6 * arDe + 0.8 * e();
      const deLin = -1.6 + 0.5 * uDev[i]! + 0.2 * uInnov[i]! + 0.3 * top + 0.16 * tau + 0.25 * eta.de[i]! + 0.1 * arDe;
      c.de_index[r] = logistic(deLin);
      c.internet_per100[r] = 100 * logistic(-0.3 + 1.0 * deLin + 0.2 * eta.ind1[i]! + 0.15 * e());
      c.software_share[r] = Math.exp(-0.2 + 0.8 * deLin + 0.25 * eta.ind2[i]! + 0.2 * e());
      c.telecom_pc[r] = Math.exp(6.7 + 0.7 * deLin + 0.2 * xp + 0.2 * eta.ind3[i]! + 0.12 * e());
      c.mobile_per100[r] = 50 + 80 * logistic(0.4 + deLin + 0.2 * eta.ind4[i]! + 0.2 * e());
      c.digital_finance[r] = 40 + 280 * logistic(-0.4 + 0.6 * deLin + 0.12 * tau + 0.1 * eta.ind5[i]! + 0.05 * e());
      // seed-002 conditioning variables
      c.fdi_pc[r] = c.fdi[r]! / c.pop[r]!; // 10^4 USD / 10^4 persons = USD per person
      c.tech_attention[r] = (c.sci_exp[r]! * 1e4) / c.pop[r]!; // 10^8 yuan / 10^4 persons -> yuan per person
      c.innovation[r] = Math.exp(0.4 + 0.8 * uInnov[i]! + 0.6 * xp + 0.4 * top + 0.1 * tau + 0.3 * eta.inno[i]! + 0.1 * e());
      // seed-002 controls
      c.disp_income[r] = Math.exp(lgpc + Math.log(0.55) - 0.1 * xp + 0.08 * eta.inc[i]! + 0.02 * e());
      c.human_capital[r] = Math.exp(4.3 + 0.4 * uDev[i]! + 0.9 * top + 0.02 * tau + 0.6 * eta.hc[i]! + 0.05 * e());
      c.fai_pc[r] = (c.fixed_assets[r]! * 1e4) / c.pop[r]!;
      c.urbanization[r] = 100 * logistic(0.0 + 0.5 * uDev[i]! + 0.8 * top + 0.06 * tau + 0.3 * eta.urb[i]! + 0.03 * e());
      c.land_pc[r] = Math.exp(4.5 + 0.1 * uDev[i]! + 0.01 * tau + 0.25 * eta.land[i]! + 0.03 * e());
      c.road_density[r] = Math.exp(1.5 + 0.3 * uDev[i]! + 0.02 * tau + 0.35 * eta.road[i]! + 0.03 * e());
      c.road_area_pc[r] = Math.exp(2.5 + 0.2 * xp + 0.03 * tau + 0.3 * eta.ra[i]! + 0.04 * e());
      c.green_patents_pc[r] = Math.exp(-0.6 + 0.6 * uInnov[i]! + 0.5 * xp + 0.12 * tau + 0.45 * eta.gp[i]! + 0.15 * e());
      c.pollution_index[r] = Math.exp(4.0 + 0.3 * uInd[i]! - 0.03 * tau + 0.3 * eta.pol[i]! + 0.1 * e());
      c.fdi_gdp[r] = (c.fdi[r]! * 1e4 * 6.5 * 100) / (c.gdp[r]! * 1e8); // % of GDP at 6.5 yuan/USD
      c.tfp[r] = Math.exp(0.1 * uDev[i]! + 0.015 * tau + 0.1 * eta.tfp[i]! + 0.02 * e());
      const budgetExp = Math.exp(lgdp + Math.log(0.17) - 0.3 * xp + 0.25 * eta.bexp[i]! + 0.04 * e());
      const budgetRev = Math.exp(lgdp + Math.log(0.08) + 0.3 * xp + 0.25 * eta.brev[i]! + 0.04 * e());
      c.fiscal_exp_gdp[r] = (100 * budgetExp) / c.gdp[r]!;
      c.fiscal_rev_gdp[r] = (100 * budgetRev) / c.gdp[r]!;
      c.budget_exp_pc[r] = (budgetExp * 1e4) / c.pop[r]!;
      c.budget_rev_pc[r] = (budgetRev * 1e4) / c.pop[r]!;
      c.sci_share_exp[r] = (100 * c.sci_exp[r]!) / budgetExp;
      c.loans_pc[r] = (c.loans[r]! * 1e4) / c.pop[r]!;
      c.fin_dev[r] = (c.deposits[r]! + c.loans[r]!) / c.gdp[r]!;
      // policy timing (facts)
      c.bigdata_year[r] = profiles.bigdataYear[i]!;
      c.bigdata_treated[r] = profiles.bigdataYear[i]! > 0 && year >= profiles.bigdataYear[i]! ? 1 : 0;
      c.broadband_year[r] = profiles.broadbandYear[i]!;
      c.clean_energy_year[r] = profiles.cleanEnergyYear[i]!;
      c.digital_pilot_year[r] = profiles.digitalPilotYear[i]!;
    }
  }

  // ---- heterogeneity dummies from 2014 values (or the year nearest 2014) ----
  const refT = Math.min(T - 1, Math.max(0, 2014 - firstYear));
  const median = (values: Float64Array) => {
    const s = Float64Array.from(values).sort();
    return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const innov2014 = new Float64Array(n);
  const gdppc2014 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    innov2014[i] = c.innovation[i * T + refT]!;
    gdppc2014[i] = c.gdp_pc[i * T + refT]!;
  }
  const innovMedian = median(innov2014);
  const gdppcMedian = median(gdppc2014);
  const innovHigh = new Uint8Array(n);
  const ecoHigh = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    innovHigh[i] = innov2014[i]! > innovMedian ? 1 : 0;
    ecoHigh[i] = gdppc2014[i]! > gdppcMedian ? 1 : 0;
  }

  // ---- spatial exposure rings ----
  const exposure = ringExposureYears(profiles.lat, profiles.lon, profiles.bigdataYear, effects.ringsKm);

  // ---- pass 2: mechanisms and energy activity, with the true effects ----
  const m = effects.mediators;
  const ownLnInd = new Float64Array(N);
  const spillLnInd = new Float64Array(N);
  const directLnInd = new Float64Array(N);
  const indirect = { patents: new Float64Array(N), postal: new Float64Array(N), digital: new Float64Array(N) };
  const curvatureRow = new Float64Array(N);
  const rp = effects.response;
  // The DE response is non-linear and richer cities (over-represented among pilots) sit elsewhere on
  // the curve, which would bend their untreated trends. Its cohort-by-year mean is re-centred on the
  // never-treated mean, so parallel trends hold in the systematic part (levels are absorbed by city FE).
  for (let r = 0; r < N; r++) {
    curvatureRow[r] = deResponse(c.de_index[r]!, { gdpPc: c.gdp_pc[r]!, fdiPc: c.fdi_pc[r]!, techAttention: c.tech_attention[r]!, innovation: c.innovation[r]! }, rp);
  }
  const recentre = cohortRecentring(curvatureRow, profiles.bigdataYear, T);
  for (let i = 0; i < n; i++) {
    const g = profiles.bigdataYear[i]!;
    const type = profiles.pilotType[i]!;
    const het = 1 + effects.innovShift * (innovHigh[i]! - 0.5) + effects.ecoShift * (ecoHigh[i]! - 0.5);
    const direct = type >= 0 ? effects.directByPilotType[PILOT_TYPES[type]!] * het : 0;
    const top = profiles.topTier[i]!;
    let ar = 0;
    for (let t = 0; t < T; t++) {
      const r = i * T + t;
      const year = firstYear + t;
      const tau = year - 2011;
      const treated = g > 0 && year >= g;
      const ramp = treated ? rampAt(effects.dynamics, year - g) : 0;
      c.innov_high[r] = innovHigh[i]!;
      c.eco_high[r] = ecoHigh[i]!;
      for (let k = 0; k < 3; k++) {
        const y0 = exposure[k]![i]!;
        const on = y0 > 0 && year >= y0 ? 1 : 0;
        (k === 0 ? c.ring_0_100 : k === 1 ? c.ring_100_200 : c.ring_200_300)[r] = on;
        spillLnInd[r] = spillLnInd[r]! + on * effects.spillover[k]!;
      }
      const lgdp = c.ln_gdp[r]!;
      const lpop = c.ln_pop[r]!;
      const xg = lgdp - 7.3;
      const xp = Math.log(c.gdp_pc[r]!) - 10.6;
      // mechanisms: untreated deviation from their structural mean, plus the pilot's shift a x ramp
      const devPost = 0.4 * eta.post[i]! + 0.08 * e();
      const devDig = Math.exp(0.1 + 0.3 * uDev[i]! + 0.25 * top + 0.04 * tau) * (Math.exp(0.3 * eta.dig[i]! + 0.08 * e()) - 1);
      const devPat = 0.4 * eta.pat[i]! + 0.12 * e();
      const lnPostal = 4.3 + 0.9 * xp + 0.14 * tau + devPost + m.postal.a * ramp;
      const digital = Math.exp(0.1 + 0.3 * uDev[i]! + 0.25 * top + 0.04 * tau) + devDig + m.digital.a * ramp;
      const lnPatents = 5.0 + 1.1 * xg + 0.5 * uInnov[i]! + 0.1 * tau + devPat + m.patents.a * ramp;
      c.ln_mech_postal_pc[r] = lnPostal;
      c.mech_postal_pc[r] = Math.exp(lnPostal);
      c.mech_digital_transform[r] = digital;
      c.ln_mech_patents[r] = lnPatents;
      c.mech_patents[r] = Math.exp(lnPatents);
      indirect.postal[r] = m.postal.b * m.postal.a * ramp;
      indirect.digital[r] = m.digital.b * m.digital.a * ramp;
      indirect.patents[r] = m.patents.b * m.patents.a * ramp;
      directLnInd[r] = direct * ramp;
      ownLnInd[r] = directLnInd[r]! + indirect.postal[r]! + indirect.digital[r]! + indirect.patents[r]!;
      // industrial electricity: GDP, industry, the digital-economy response, mediators, AR(1) noise
      const gResp = curvatureRow[r]! - recentre(i, t);
      ar = t === 0 ? e() : 0.5 * ar + Math.sqrt(0.75) * e();
      const lnInd0 = C.lnElecIndustrial + 0.85 * xg + 0.35 * uInd[i]! + 0.3 * eta.eInd[i]! + gResp +
        m.postal.b * devPost + m.digital.b * devDig + m.patents.b * devPat + effects.noiseSd * ar;
      const eInd = Math.exp(lnInd0 + ownLnInd[r]! + spillLnInd[r]!);
      const eRes = Math.exp(C.lnElecResidential + 0.9 * (lpop - 6) + 0.6 * xp + 0.02 * tau + 0.2 * eta.eRes[i]! + 0.04 * e());
      const eOth = Math.exp(C.lnElecOther + 0.9 * xg + 0.25 * eta.eOth[i]! + 0.05 * e());
      c.elec_industrial[r] = eInd;
      c.elec_residential[r] = eRes;
      c.elec_total[r] = eInd + eRes + eOth;
      const latShift = (profiles.lat[i]! - 36) / 10;
      const heat = hasHeat[i] ? Math.exp(C.lnHeat + 0.9 * (lpop - 6) + 0.3 * xp + 0.8 * latShift + 0.02 * tau + 0.4 * eta.heat[i]! + 0.06 * e()) : 0;
      c.heat_supply[r] = heat;
      c.passenger_turnover[r] = Math.exp(C.lnPassenger + 0.8 * (lpop - 6) + 0.4 * xp + 0.01 * tau + 0.35 * eta.pas[i]! + 0.06 * e());
      c.freight_turnover[r] = Math.exp(C.lnFreight + 0.9 * xg + 0.3 * uInd[i]! + 0.5 * eta.fre[i]! + 0.06 * e());
      c.town_gas[r] = Math.exp(C.lnTownGas + 0.7 * (lpop - 6) - 0.06 * tau + 0.8 * eta.tg[i]! + 0.1 * e());
      c.lpg[r] = Math.exp(C.lnLpg + 0.8 * (lpop - 6) + 0.2 * xp - 0.02 * tau + 0.5 * eta.lpg[i]! + 0.08 * e());
      c.natural_gas[r] = Math.exp(C.lnNaturalGas + 0.9 * (lpop - 6) + 0.4 * xp + 0.09 * tau + 0.5 * eta.ng[i]! + 0.06 * e());
    }
  }

  // ---- carbon accounting (packages/carbon) ----
  const gridCodes = new Int32Array(N);
  for (let r = 0; r < N; r++) gridCodes[r] = profiles.gridRegion.codes[Math.floor(r / T)]!;
  const gridRegion: Codes = { codes: gridCodes, levels: profiles.gridRegion.levels };
  const transport = Object.freeze({
    kgcePerTkm: C.transportKgcePerTkm,
    kgcePerPkm: C.transportLambda * C.transportKgcePerTkm,
    source: 'calibrated to the seed-000 transport share (UNVERIFIED; see datasets README)',
  });
  const accounts = cityCarbonAccounts(
    {
      gridRegion,
      year: c.year,
      electricityTotal: c.elec_total,
      electricityIndustrial: c.elec_industrial,
      electricityResidential: c.elec_residential,
      heat: c.heat_supply,
      passengerTurnover: c.passenger_turnover,
      freightTurnover: c.freight_turnover,
      townGas: c.town_gas,
      lpg: c.lpg,
    },
    // by_year: 2018 has no published factor, so 2017-2019 are interpolated; outside 2011-2019 the nearest year is used.
    options.gridFactors === 'by_year'
      ? { factors: loadGridFactorTable(), missingYear: 'interpolate', transport }
      : { factors: loadGridFactorTable(), fixedYear: 2016, transport },
  );
  const a = accounts.columns;
  const s002 = seed002Emissions(
    { naturalGas10kM3: c.natural_gas, lpgTonnes: c.lpg, electricity10kKwh: c.elec_total, gdp1e8Yuan: c.gdp, population10k: c.pop },
    seed002Defaults(),
  );

  // ---- truth ----
  const rowEffects = rowEffectsFrom({ N, ownLnInd, spillLnInd, eIndObserved: c.elec_industrial, elecTotal: c.elec_total, factor: a.grid_factor, total: a.co2_total });
  const truth = computeTruth({
    effects,
    T,
    firstYear,
    bigdataYear: profiles.bigdataYear,
    pilotType: profiles.pilotType,
    innovHigh,
    ecoHigh,
    rowEffects,
    directLnInd,
    indirect,
    ring: [c.ring_0_100, c.ring_100_200, c.ring_200_300],
    treated: c.bigdata_treated,
    response: {
      deIndex: c.de_index,
      responseNow: curvatureRow,
      eInd: c.elec_industrial,
      elecTotal: c.elec_total,
      naturalGas: c.natural_gas,
      lpg: c.lpg,
      gdp: c.gdp,
      pop: c.pop,
      cond: { gdpPc: c.gdp_pc, fdiPc: c.fdi_pc, techAttention: c.tech_attention, innovation: c.innovation },
    },
  });

  // ---- logs, size classes, gaps, frame ----
  const logs: Record<string, Float64Array> = {};
  let zeroHeatRows = 0;
  for (const [name, values] of Object.entries({
    co2_total: a.co2_total, co2_elec: a.co2_elec, co2_heat: a.co2_heat, co2_transport: a.co2_transport,
    co2_direct: a.co2_direct, co2_elec_ind: a.co2_elec_ind, co2_elec_res: a.co2_elec_res,
  })) {
    const l = logColumn(values);
    logs[`ln_${name}`] = l.values;
    if (name === 'co2_heat') zeroHeatRows = l.nonPositive;
  }
  const sizeClass = citySizeClasses(profiles.factSizeClass, lpop0);
  const gaps = options.gaps ?? true ? addGaps(c, n, T, root.stream(3)) : {};
  const shareMean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
  const shares = {
    electricity: { mean: shareMean(a.share_elec), target: SHARE_TARGETS.electricity },
    heat: { mean: shareMean(a.share_heat), target: SHARE_TARGETS.heat },
    transport: { mean: shareMean(a.share_transport), target: SHARE_TARGETS.transport },
    direct: { mean: shareMean(a.share_direct), target: SHARE_TARGETS.direct },
  };

  const numeric: Record<string, Float64Array> = {
    ...c,
    ...a,
    ...logs,
    co2_002_total: s002.total,
    co2_002_intensity: s002.intensity,
    co2_002_pc: s002.perCapita,
  };
  const cityCodes = (codes: Codes): Codes => {
    const out = new Int32Array(N);
    for (let r = 0; r < N; r++) out[r] = codes.codes[Math.floor(r / T)]!;
    return { codes: out, levels: codes.levels };
  };
  const pilotCodes = new Int32Array(N);
  for (let r = 0; r < N; r++) pilotCodes[r] = profiles.pilotType[Math.floor(r / T)]! + 1;
  const columns: FrameColumns = {
    numeric,
    categorical: {
      province: cityCodes(profiles.province),
      region: cityCodes(profiles.region),
      grid_region: gridRegion,
      admin_rank: cityCodes(profiles.adminRank),
      city_size_class: cityCodes(sizeClass),
      pilot_type: { codes: pilotCodes, levels: ['none', ...PILOT_TYPES] },
    },
  };
  const units: Record<string, string> = { ...LEVEL_UNITS, ...accounts.units };
  for (const name of Object.keys(logs)) units[name] = `ln of ${accounts.units[name.slice(3) as keyof typeof accounts.units] ?? '10^4 t CO2'}`;
  const frame = buildFrame(columns, { unit: 'city_code', time: 'year' }, units);
  const meta: SyntheticMeta = Object.freeze({
    dgp: 'panel-lab china-city DGP v1' as const,
    seed,
    cities: n,
    years: [firstYear, lastYear] as const,
    rows: N,
    replicated: profiles.replicated,
    units: Object.freeze(units),
    gaps: Object.freeze(gaps),
    zeroHeatRows,
    shares: Object.freeze(shares),
    accounting: accounts.meta,
    policyData: 'policy_city_treatment.csv (big-data list = labelled reconstruction of 32 of the seed\'s 35 cities)',
    generatedInMs: performance.now() - t0,
  });
  return Object.freeze({ frame, truth, meta, rowEffects });
}

