import { readGoldenData } from '@panel-lab/testing';

/** goldens/data/cities_panel.csv: the city and province codes as strings, any other column as numbers. */
export function citiesPanelColumns(): { city: string[]; province: string[]; num: (name: string) => Float64Array } {
  const [head, ...lines] = readGoldenData('cities_panel.csv').trim().split('\n');
  const names = head!.split(',');
  const col = (n: string) => names.indexOf(n);
  const rows = lines.map((l) => l.split(','));
  return {
    city: rows.map((r) => r[col('city_code')]!),
    province: rows.map((r) => r[col('province_code')]!),
    num: (n: string) => Float64Array.from(rows, (r) => Number(r[col(n)])),
  };
}
