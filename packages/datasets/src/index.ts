export { loadMpdta } from './mpdta.js';
export { defaultPanelCities, loadCityFacts, PILOT_TYPES } from './facts.js';
export type { AdminRank, CityFact, PilotType } from './facts.js';
export {
  ACTIVITY,
  CITY_ATTRIBUTES,
  DE_INDEX_COLUMN,
  MECHANISMS,
  RING_COLUMNS,
  SEED000_CONTROLS,
  SEED000_OUTCOMES,
  SEED000_OUTCOME_LEVELS,
  SEED002_CONDITIONING,
  SEED002_CONTROLS,
  SEED002_INDICATORS,
  SEED002_OUTCOMES,
  TIME_COLUMN,
  TREATMENT,
  UNIT_COLUMN,
} from './columns.js';
export type { Seed000Outcome, Seed002Outcome } from './columns.js';
export { DEFAULT_TRUE_EFFECTS, RESPONSE_CENTRES, curvatureIndex, deResponse, rampAt } from './effects.js';
export type { ConditioningValues, TrueEffects } from './effects.js';
export { CALIBRATION, SHARE_TARGETS } from './calibration.js';
export { generateChinaPanel } from './generate.js';
export { GAP_COLUMNS } from './generate-helpers.js';
export { LEVEL_UNITS } from './units.js';
export type { GenerateOptions, SyntheticMeta, SyntheticPanel } from './generate.js';
export { AFFECTED_OUTCOMES, UNAFFECTED_OUTCOMES } from './truth.js';
export type { AffectedOutcome, GroundTruth, RowEffects } from './truth.js';
export { haversineKm, ringExposureYears } from './spatial.js';
