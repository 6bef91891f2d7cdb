// Synthetic China city panel generator (packages/datasets): the 286 x 9 default and replicated panels up to 100,000 x 20.
import { generateChinaPanel } from '@panel-lab/datasets';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';

const SIZES: Record<Scale, readonly [number, number][]> = {
  quick: [[286, 9], [2_000, 20]],
  seed: [[286, 9], [10_000, 20]],
  large: [[286, 9], [100_000, 20]],
};

function generateCase(cities: number, years: number): BenchCase {
  return {
    name: `generate-${cities}x${years}`,
    params: { cities, years, rows: cities * years },
    run: () => {
      const panel = generateChinaPanel({ cities, years, seed: 20240601 });
      const columns = panel.frame.columnNames.length;
      let bytes = 0;
      for (const name of panel.frame.columnNames) bytes += panel.frame.isCategorical(name) ? 4 * panel.frame.nrows : 8 * panel.frame.nrows;
      return { rows: panel.frame.nrows, columns, column_bytes: bytes, heat_zero_rows: panel.meta.zeroHeatRows, generated_in_ms: panel.meta.generatedInMs };
    },
  };
}

export const suite: BenchSuite = {
  name: 'synthetic-panel',
  description:
    'generateChinaPanel: seeded synthetic China city panel with carbon accounting and ground truth; the 286 x 9 default and replicated-jittered panels (large: 100,000 cities x 20 years = 2,000,000 rows). Peak RSS is the process peak over the cases, the largest last.',
  cases: (scale) => SIZES[scale].map(([c, y]) => generateCase(c, y)),
};
