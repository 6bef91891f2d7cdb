import type { PanelFrame } from '@panel-lab/panel';
import { cityCarbonAccounts, type AccountingOptions, type CarbonAccounts } from './accounts.js';

/** Column names of the activity data in a frame (defaults: the synthetic panel's names). */
export interface ActivityColumnNames {
  gridRegion: string;
  electricityTotal: string;
  electricityIndustrial: string;
  electricityResidential: string;
  heat: string;
  passengerTurnover: string;
  freightTurnover: string;
  townGas: string;
  lpg: string;
  naturalGas: string;
}

export const DEFAULT_ACTIVITY_COLUMNS: Readonly<ActivityColumnNames> = Object.freeze({
  gridRegion: 'grid_region',
  electricityTotal: 'elec_total',
  electricityIndustrial: 'elec_industrial',
  electricityResidential: 'elec_residential',
  heat: 'heat_supply',
  passengerTurnover: 'passenger_turnover',
  freightTurnover: 'freight_turnover',
  townGas: 'town_gas',
  lpg: 'lpg',
  naturalGas: 'natural_gas',
});

/** Runs the seed-000 accounting on a panel frame and returns the frame with the CO2 columns added. */
export function accountFrame(
  frame: PanelFrame,
  options: AccountingOptions & { columns?: Partial<ActivityColumnNames> },
): { frame: PanelFrame; accounts: CarbonAccounts } {
  const names = { ...DEFAULT_ACTIVITY_COLUMNS, ...options.columns };
  const accounts = cityCarbonAccounts(
    {
      gridRegion: frame.codes(names.gridRegion),
      year: frame.numeric(frame.schema.time),
      electricityTotal: frame.numeric(names.electricityTotal),
      electricityIndustrial: frame.numeric(names.electricityIndustrial),
      electricityResidential: frame.numeric(names.electricityResidential),
      heat: frame.numeric(names.heat),
      passengerTurnover: frame.numeric(names.passengerTurnover),
      freightTurnover: frame.numeric(names.freightTurnover),
      townGas: frame.numeric(names.townGas),
      lpg: frame.numeric(names.lpg),
      ...(options.directIncludesNaturalGas ? { naturalGas: frame.numeric(names.naturalGas) } : {}),
    },
    options,
  );
  return { frame: frame.withColumns({ ...accounts.columns }), accounts };
}
