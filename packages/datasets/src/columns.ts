/** Column names of the synthetic China panel: estimators and reports use these, never string literals. */

export const UNIT_COLUMN = 'city_code';
export const TIME_COLUMN = 'year';

/** Seed-000 outcomes, logs of the CO2 components (10^4 t); ln_co2_heat is NaN where heat is 0. */
export const SEED000_OUTCOMES = [
  'ln_co2_total',
  'ln_co2_elec',
  'ln_co2_heat',
  'ln_co2_transport',
  'ln_co2_direct',
  'ln_co2_elec_ind',
  'ln_co2_elec_res',
] as const;
export type Seed000Outcome = (typeof SEED000_OUTCOMES)[number];

/** Level versions of the seed-000 outcomes (10^4 t CO2; heat kept as 0 where there is none). */
export const SEED000_OUTCOME_LEVELS = ['co2_total', 'co2_elec', 'co2_heat', 'co2_transport', 'co2_direct', 'co2_elec_ind', 'co2_elec_res'] as const;

/** The ten seed-000 controls as the seed uses them: logs, except the tertiary share (level, %). */
export const SEED000_CONTROLS = [
  'ln_gdp',
  'ln_pop',
  'tertiary_share',
  'ln_fdi',
  'ln_retail',
  'ln_library',
  'ln_fixed_assets',
  'ln_edu_exp',
  'ln_sci_exp',
  'ln_loans',
] as const;

/** The five digital-economy indicators of seed 002 (levels). */
export const SEED002_INDICATORS = ['internet_per100', 'software_share', 'telecom_pc', 'mobile_per100', 'digital_finance'] as const;

/** The four seed-002 conditioning variables: GDP per capita, FDI per capita, S&T spending per capita, innovation. */
export const SEED002_CONDITIONING = ['gdp_pc', 'fdi_pc', 'tech_attention', 'innovation'] as const;

/** The 22 seed-002 controls (levels). */
export const SEED002_CONTROLS = [
  'disp_income',
  'ts_ratio',
  'tertiary_share',
  'secondary_share',
  'pop',
  'human_capital',
  'fai_pc',
  'urbanization',
  'land_pc',
  'road_density',
  'road_area_pc',
  'green_patents_pc',
  'pollution_index',
  'fdi_gdp',
  'tfp',
  'fiscal_exp_gdp',
  'fiscal_rev_gdp',
  'budget_exp_pc',
  'budget_rev_pc',
  'sci_share_exp',
  'loans_pc',
  'fin_dev',
] as const;

/** Seed-002 outcomes (levels): total 10^4 t, intensity 10^4 t per 10^8 yuan, per capita t/person. */
export const SEED002_OUTCOMES = ['co2_002_total', 'co2_002_intensity', 'co2_002_pc'] as const;
export type Seed002Outcome = (typeof SEED002_OUTCOMES)[number];

/** The latent digital-economy index in [0, 1] that the DGP's response curve is defined on. */
export const DE_INDEX_COLUMN = 'de_index';

/** Treatment columns. Year columns hold the first treatment year, 0 = never. */
export const TREATMENT = {
  bigdataYear: 'bigdata_year',
  bigdataTreated: 'bigdata_treated',
  pilotType: 'pilot_type',
  broadbandYear: 'broadband_year',
  cleanEnergyYear: 'clean_energy_year',
  digitalPilotYear: 'digital_pilot_year',
  innovHigh: 'innov_high',
  ecoHigh: 'eco_high',
} as const;

/** Observable exposure rings (seed definition, not mutually exclusive): a treated city within the band this year. */
export const RING_COLUMNS = ['ring_0_100', 'ring_100_200', 'ring_200_300'] as const;

/** City attributes. */
export const CITY_ATTRIBUTES = {
  lat: 'lat',
  lon: 'lon',
  province: 'province',
  region: 'region',
  gridRegion: 'grid_region',
  adminRank: 'admin_rank',
  sizeClass: 'city_size_class',
  firstTier: 'first_tier',
  profileCode: 'profile_code',
} as const;

/** Mechanism variables of seed 000 (Table 14): invention patents (ln), postal business per capita (ln), digital transformation (%). */
export const MECHANISMS = ['ln_mech_patents', 'ln_mech_postal_pc', 'mech_digital_transform'] as const;

/** Energy activity data, in yearbook units (see README). */
export const ACTIVITY = {
  electricityTotal: 'elec_total',
  electricityIndustrial: 'elec_industrial',
  electricityResidential: 'elec_residential',
  heat: 'heat_supply',
  passengerTurnover: 'passenger_turnover',
  freightTurnover: 'freight_turnover',
  townGas: 'town_gas',
  lpg: 'lpg',
  naturalGas: 'natural_gas',
} as const;
