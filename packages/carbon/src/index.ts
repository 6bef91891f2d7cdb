export {
  GRID_REGIONS,
  isGridRegion,
  loadGridFactorTable,
  resolveGridFactor,
} from './grid-factors.js';
export type {
  FactorYearMode,
  GridFactorEntry,
  GridFactorTable,
  GridFactorTableOptions,
  GridMargin,
  GridRegion,
  MissingYearPolicy,
  ResolvedGridFactor,
} from './grid-factors.js';
export {
  coefficient,
  heatCo2PerGj,
  loadEmissionCoefficients,
  seed000Defaults,
  seed002Defaults,
} from './coefficients.js';
export type { EmissionCoefficient, Seed000Coefficients, Seed002Coefficients } from './coefficients.js';
export { deriveTransportIntensity, directCo2, electricityCo2, heatCo2, transportCo2 } from './components.js';
export type { TransportIntensity } from './components.js';
export { CARBON_COLUMNS, cityCarbonAccounts, logColumn } from './accounts.js';
export type { AccountingOptions, ActivityColumns, CarbonAccounts, CarbonColumn, FactorStatus } from './accounts.js';
export { DEFAULT_ACTIVITY_COLUMNS, accountFrame } from './frame-accounts.js';
export type { ActivityColumnNames } from './frame-accounts.js';
export { seed002Emissions } from './seed002.js';
export type { Seed002Emissions } from './seed002.js';
