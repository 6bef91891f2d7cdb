import { isGridRegion, type GridRegion } from '@panel-lab/carbon';
import { numberCell, optionalNumberCell, readCsvTable } from './csv-table.js';

export type AdminRank = 'municipality' | 'sub-provincial' | 'provincial-capital' | 'prefecture';
export type PilotType = 'guizhou' | 'cross_regional' | 'regional_demo' | 'infrastructure';
export const PILOT_TYPES: readonly PilotType[] = ['guizhou', 'cross_regional', 'regional_demo', 'infrastructure'];

/** One prefecture-level unit with its public facts (cities.csv + policy_city_treatment.csv + policies.csv). */
export interface CityFact {
  readonly cityCode: number;
  readonly nameEn: string;
  readonly province: string;
  readonly region: 'east' | 'central' | 'west' | 'northeast';
  /** Regional power grid; null only for Tibet (outside the six grids). */
  readonly gridRegion: GridRegion | null;
  readonly adminRank: AdminRank;
  /** 'super-large' | 'mega' for the 16 listed cities, '' otherwise (filled by the generator). */
  readonly sizeClass: string;
  readonly lat: number;
  readonly lon: number;
  readonly candidate2011to2019: boolean;
  readonly abolished: boolean;
  /** First treatment years; 0 = never. */
  readonly bigdataYear: number;
  readonly pilotType: PilotType | null;
  readonly broadbandYear: number;
  readonly cleanEnergyYear: number;
  readonly digitalPilotYear: number;
}

const PILOT_TYPE_BY_LABEL: Record<string, PilotType> = {
  'Guizhou comprehensive': 'guizhou',
  'cross-regional': 'cross_regional',
  'regional demonstration': 'regional_demo',
  'infrastructure coordination': 'infrastructure',
};

function pilotTypeOf(label: string): PilotType {
  const hit = Object.entries(PILOT_TYPE_BY_LABEL).find(([prefix]) => label.startsWith(prefix));
  if (!hit) throw new Error(`policies.csv: unknown big-data pilot_type '${label}'`);
  return hit[1];
}

let cache: readonly CityFact[] | undefined;

/** All 338 units of cities.csv joined with their policy timing; validated (coordinates, grid, no duplicates). */
export function loadCityFacts(): readonly CityFact[] {
  if (cache) return cache;
  const cities = readCsvTable('cities.csv');
  const treat = readCsvTable('policy_city_treatment.csv');
  const policies = readCsvTable('policies.csv');

  const treatRow = new Map<string, number>();
  treat.rows.forEach((r, i) => {
    const code = r['city_code'] ?? '';
    if (treatRow.has(code)) throw new Error(`policy_city_treatment.csv: duplicate city_code ${code} (line ${i + 2})`);
    treatRow.set(code, i);
  });
  const pilotType = new Map<string, PilotType>();
  for (const r of policies.rows) {
    const conf = r['confidence'] ?? '';
    if (r['policy_id'] === 'bigdata_pilot' && r['city_code'] && conf.startsWith('reconstruction')) {
      pilotType.set(r['city_code'], pilotTypeOf(r['pilot_type'] ?? ''));
    }
  }

  const seen = new Set<number>();
  const out: CityFact[] = [];
  cities.rows.forEach((r, i) => {
    const line = i + 2;
    const code = numberCell(cities, i, 'city_code');
    if (seen.has(code)) throw new Error(`cities.csv: duplicate city_code ${code} (line ${line})`);
    seen.add(code);
    const lat = numberCell(cities, i, 'lat');
    const lon = numberCell(cities, i, 'lon');
    if (lat < 15 || lat > 55 || lon < 70 || lon > 136) throw new Error(`cities.csv: city ${code} line ${line} has coordinates outside China (${lat}, ${lon})`);
    const grid = r['grid_region'] ?? '';
    const province = r['province_en'] ?? '';
    if (grid !== '' && !isGridRegion(grid)) throw new Error(`cities.csv: city ${code} line ${line} has unknown grid_region '${grid}'`);
    if (grid === '' && province !== 'Tibet') throw new Error(`cities.csv: city ${code} (${province}) line ${line} has no grid_region`);
    const tRow = treatRow.get(String(code));
    if (tRow === undefined) throw new Error(`policy_city_treatment.csv: no row for city_code ${code}`);
    const year = (col: string) => optionalNumberCell(treat, tRow, col) ?? 0;
    const bigdataYear = year('bigdata_treat_year_reconstructed');
    const type = pilotType.get(String(code)) ?? null;
    if (bigdataYear > 0 && type === null) throw new Error(`policies.csv: big-data city ${code} has no pilot_type`);
    const size = r['city_size_class'] ?? '';
    out.push(
      Object.freeze({
        cityCode: code,
        nameEn: r['name_en'] ?? '',
        province,
        region: (r['region'] ?? '') as CityFact['region'],
        gridRegion: grid === '' ? null : (grid as GridRegion),
        adminRank: (r['admin_rank'] ?? '') as AdminRank,
        sizeClass: size.startsWith('super-large') ? 'super-large' : size.startsWith('mega') ? 'mega' : '',
        lat,
        lon,
        candidate2011to2019: r['panel_2011_2019_candidate'] === '1',
        abolished: (r['abolished'] ?? '') !== '',
        bigdataYear,
        pilotType: bigdataYear > 0 ? type : null,
        broadbandYear: year('broadband_china_year'),
        cleanEnergyYear: year('clean_energy_province_year'),
        digitalPilotYear: year('digital_economy_pilot_year'),
      }),
    );
  });
  cache = Object.freeze(out);
  return cache;
}

/** The 286 cities of the seed-000 panel: the 2011-2019 candidates minus Laiwu (abolished 2019). */
export function defaultPanelCities(): readonly CityFact[] {
  return loadCityFacts().filter((c) => c.candidate2011to2019 && !c.abolished);
}
