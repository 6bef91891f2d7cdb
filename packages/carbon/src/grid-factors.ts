import { cellNumber, readDataCsv } from './csv.js';

/** The six regional grids of the NDRC/MEE baseline-factor notices (names as in cities.csv). */
export const GRID_REGIONS = ['North China', 'Northeast', 'East China', 'Central China', 'Northwest', 'South China'] as const;
export type GridRegion = (typeof GRID_REGIONS)[number];

/** Operating margin, build margin, 0.5/0.5 combined margin, 0.75/0.25 wind-solar combined margin. */
export type GridMargin = 'OM' | 'BM' | 'CM' | 'CM_wind_solar';

/**
 * Which year a factor is keyed by: `edition_year` = the factor published for year t (default);
 * `data_year` = the verified single-data-year simple OMs (2012-2014 only, OM only).
 */
export type FactorYearMode = 'edition_year' | 'data_year';

/** What to do when (region, year) has no factor: fail, take the nearest year, or interpolate linearly. */
export type MissingYearPolicy = 'error' | 'nearest' | 'interpolate';

export interface GridFactorEntry {
  readonly region: GridRegion;
  readonly year: number;
  /** tCO2 per MWh. */
  readonly value: number;
  /** Status word of the source table (verified, transcribed, recalled_unverified, ...). */
  readonly status: string;
  readonly file: string;
}

export interface GridFactorTable {
  readonly margin: GridMargin;
  readonly yearMode: FactorYearMode;
  readonly includeRecalled: boolean;
  readonly entries: readonly GridFactorEntry[];
}

export interface GridFactorTableOptions {
  margin?: GridMargin;
  yearMode?: FactorYearMode;
  /** Fill years without a verified/transcribed factor from the recalled_unverified table (default true). */
  includeRecalled?: boolean;
}

const MARGIN_COLUMN: Record<GridMargin, { value: string; status: string }> = {
  OM: { value: 'om_tco2_per_mwh', status: 'om_status' },
  BM: { value: 'bm_tco2_per_mwh', status: 'bm_status' },
  CM: { value: 'cm_050_050', status: 'bm_status' },
  CM_wind_solar: { value: 'cm_075_025_wind_solar', status: 'bm_status' },
};

export function isGridRegion(name: string): name is GridRegion {
  return (GRID_REGIONS as readonly string[]).includes(name);
}

function regionOf(file: string, line: number, name: string | undefined): GridRegion {
  if (name === undefined || !isGridRegion(name)) {
    throw new Error(`${file}: line ${line} has unknown grid_region '${name ?? ''}'; expected one of ${GRID_REGIONS.join(', ')}`);
  }
  return name;
}

/** Loads the bundled grid-factor tables as one series for the chosen margin and year convention. */
export function loadGridFactorTable(options: GridFactorTableOptions = {}): GridFactorTable {
  const margin = options.margin ?? 'OM';
  const yearMode = options.yearMode ?? 'edition_year';
  const includeRecalled = options.includeRecalled ?? true;
  const entries: GridFactorEntry[] = [];
  const seen = new Set<string>();
  const add = (e: GridFactorEntry): void => {
    const key = `${e.region}|${e.year}`;
    if (seen.has(key)) return; // first source wins: verified/transcribed before recalled
    seen.add(key);
    entries.push(Object.freeze(e));
  };

  if (yearMode === 'edition_year') {
    const main = readDataCsv('grid_emission_factors.csv');
    const col = MARGIN_COLUMN[margin];
    main.rows.forEach((row, i) => {
      const value = cellNumber(main, i, col.value);
      if (value === null) return;
      const year = cellNumber(main, i, 'year');
      if (year === null) throw new Error(`${main.file}: line ${i + 2} has no year`);
      // A combined margin is only as verified as its weaker input.
      const status = margin === 'CM' || margin === 'CM_wind_solar' ? `${row['om_status']}/${row['bm_status']}` : (row[col.status] ?? '');
      add({ region: regionOf(main.file, i + 2, row['grid_region']), year, value, status, file: main.file });
    });
    if (includeRecalled && margin === 'OM') {
      const recalled = readDataCsv('grid_emission_factors_recalled_unverified.csv');
      recalled.rows.forEach((row, i) => {
        const value = cellNumber(recalled, i, 'value_tco2_per_mwh');
        const year = cellNumber(recalled, i, 'year');
        if (value === null || year === null) return;
        add({ region: regionOf(recalled.file, i + 2, row['grid_region']), year, value, status: row['status'] ?? 'recalled_unverified', file: recalled.file });
      });
    }
  } else {
    if (margin !== 'OM') throw new Error(`option yearMode 'data_year' exists only for margin 'OM' (got '${margin}')`);
    const supp = readDataCsv('grid_emission_factors_supplementary.csv');
    supp.rows.forEach((row, i) => {
      if (!(row['factor'] ?? '').startsWith('annual simple OM')) return;
      const value = cellNumber(supp, i, 'value_tco2_per_mwh');
      const year = cellNumber(supp, i, 'data_year');
      if (value === null || year === null) return;
      add({ region: regionOf(supp.file, i + 2, row['grid_region']), year, value, status: row['status'] ?? '', file: supp.file });
    });
  }
  entries.sort((a, b) => a.region.localeCompare(b.region) || a.year - b.year);
  return Object.freeze({ margin, yearMode, includeRecalled, entries: Object.freeze(entries) });
}

/** A factor as used: its value, the source years it came from, and how it was obtained. */
export interface ResolvedGridFactor {
  readonly region: GridRegion;
  readonly year: number;
  readonly value: number;
  readonly method: 'table' | 'nearest' | 'interpolate';
  readonly sourceYears: readonly number[];
  /** Status of every source entry joined by '+', e.g. 'verified+transcribed'. */
  readonly status: string;
}

/** Looks up the factor for (region, year) applying the missing-year policy; the error names region and year. */
export function resolveGridFactor(
  table: GridFactorTable,
  region: string,
  year: number,
  missing: MissingYearPolicy = 'error',
): ResolvedGridFactor {
  if (!isGridRegion(region)) {
    throw new Error(`grid region '${region}' has no emission factors; expected one of ${GRID_REGIONS.join(', ')}`);
  }
  const series = table.entries.filter((e) => e.region === region);
  const exact = series.find((e) => e.year === year);
  if (exact) return Object.freeze({ region, year, value: exact.value, method: 'table', sourceYears: [year], status: exact.status });
  const available = series.map((e) => e.year).join(', ');
  if (series.length === 0 || missing === 'error') {
    throw new Error(
      `no ${table.margin} grid factor for region '${region}' year ${year} (available years: ${available || 'none'}); ` +
        `set option missingYear to 'nearest' or 'interpolate' to fill it`,
    );
  }
  const before = [...series].reverse().find((e) => e.year < year);
  const after = series.find((e) => e.year > year);
  if (missing === 'interpolate' && before && after) {
    const w = (year - before.year) / (after.year - before.year);
    const value = before.value * (1 - w) + after.value * w;
    return Object.freeze({ region, year, value, method: 'interpolate', sourceYears: [before.year, after.year], status: `${before.status}+${after.status}` });
  }
  // Nearest year (also the edge case of interpolation, which never extrapolates); ties go to the earlier year.
  const candidates = [before, after].filter((e): e is GridFactorEntry => e !== undefined);
  const nearest = candidates.reduce((best, e) => (Math.abs(e.year - year) < Math.abs(best.year - year) ? e : best));
  return Object.freeze({ region, year, value: nearest.value, method: 'nearest', sourceYears: [nearest.year], status: nearest.status });
}
