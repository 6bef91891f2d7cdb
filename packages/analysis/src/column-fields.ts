/** What a column-valued option is for: the word used in messages and the values it must hold. */
export interface ColumnRole {
  readonly word: string;
  readonly numeric: boolean;
  /** 'cohort': first treated period per unit (0 or missing = never); 'indicator': 0/1 per row. */
  readonly coding?: 'cohort' | 'indicator';
  /** Values that are settings, not columns (a field name shared with an enum option elsewhere, e.g. psm_did weights 'matchit'). */
  readonly settings?: readonly string[];
}

/**
 * Option fields, in any analysis, whose values name columns of the panel. The runner checks them
 * against the data before an analysis runs; test/column-fields.test.ts fails when a handler's
 * schema has a string field that is in neither this list nor TEXT_FIELDS.
 */
export const COLUMN_FIELDS: Readonly<Record<string, ColumnRole>> = {
  outcomes: { word: 'outcome', numeric: true },
  treatment: { word: 'treatment', numeric: true, coding: 'indicator' },
  extraTreatments: { word: 'extra treatment', numeric: true },
  cohort: { word: 'cohort', numeric: true, coding: 'cohort' },
  yearColumn: { word: 'policy year column', numeric: true, coding: 'cohort' },
  controls: { word: 'control', numeric: true },
  covariates: { word: 'covariate', numeric: true },
  mediators: { word: 'mediator', numeric: true },
  conditioning: { word: 'conditioning variable', numeric: true },
  indicators: { word: 'indicator', numeric: true },
  column: { word: 'interaction column', numeric: true },
  lat: { word: 'latitude column', numeric: true },
  lon: { word: 'longitude column', numeric: true },
  cluster: { word: 'cluster column', numeric: false },
  subgroupColumn: { word: 'subgroup column', numeric: false },
  columns: { word: 'column', numeric: false },
  // observation / sampling weights; psm_did and wild_bootstrap use the name for a setting
  weights: { word: 'weights column', numeric: true, settings: ['matchit', 'frequency', 'rademacher', 'webb', 'mammen'] },
  fixedEffects: { word: 'fixed-effect column', numeric: false },
  entropyNegative: { word: 'indicator', numeric: true },
  // vcov: the NW / DK panel variables
  unit: { word: 'unit column', numeric: false },
  time: { word: 'time column', numeric: false },
};

/** String option fields that are labels, not columns. */
export const TEXT_FIELDS: readonly string[] = ['id', 'estimator', 'title', 'intro', 'caption', 'figure', 'name', 'formulas'];

export interface ColumnReference {
  /** Option path inside the analysis, e.g. `outcomes[1]` or `interactions[0].column`. */
  readonly field: string;
  readonly column: string;
  readonly role: ColumnRole;
}

/** Every column an analysis's (parsed) options name, found by walking them for the fields in COLUMN_FIELDS. */
export function columnReferences(options: unknown, prefix = ''): ColumnReference[] {
  if (Array.isArray(options)) return options.flatMap((item, i) => columnReferences(item, `${prefix}[${i}]`));
  if (!options || typeof options !== 'object') return [];
  return Object.entries(options).flatMap(([key, value]): ColumnReference[] => {
    const field = prefix ? `${prefix}.${key}` : key;
    const role = COLUMN_FIELDS[key];
    if (role && typeof value === 'string') return role.settings?.includes(value) ? [] : [{ field, column: value, role }];
    if (role && Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      return value.map((column: string, i) => ({ field: `${field}[${i}]`, column, role }));
    }
    return typeof value === 'object' ? columnReferences(value, field) : [];
  });
}
