import type { NetEffectResult } from '@panel-lab/ann';
import { CITY_ATTRIBUTES, TREATMENT } from '@panel-lab/datasets';
import { lineBandChart, renderSpec, type Block, type Cell } from '@panel-lab/report';
import { outcomeLabel, PANEL } from './common.js';

/** Seed 002 heterogeneity figures by subgroup variable (METHODS §19.3). */
export const SUBGROUP_FIGURES: Record<string, string> = {
  [CITY_ATTRIBUTES.sizeClass]: 'Fig. 5 (city size; super/mega = super-large and mega cities, >= 5 m urban residents)',
  [CITY_ATTRIBUTES.firstTier]: 'Fig. 6 (administrative rank)',
  [TREATMENT.digitalPilotYear]: 'Fig. 7 (digital-economy pilot zone)',
};

interface Fit { readonly outcome: string; readonly res: NetEffectResult }

/** Per subgroup variable: a table of medians with CIs, subgroup curves per outcome and a box-plot figure of fitted values. */
export async function subgroupBlocks(fits: readonly Fit[], o: { id: string; figure: string; xTitle: string; replicates: number }): Promise<Block[]> {
  const blocks: Block[] = [];
  for (const [variable, fig] of Object.entries(SUBGROUP_FIGURES)) {
    const rows: Cell[][] = [];
    const curves: Block[] = [];
    const boxes: Record<string, unknown>[] = [];
    for (const { outcome, res } of fits) {
      const groups = res.subgroups.filter((s) => s.variable === variable);
      if (!groups.length) continue;
      for (const g of groups) {
        rows.push([outcome, g.level, g.nRows, g.medianFitted.estimate, g.medianFitted.lo, g.medianFitted.hi, g.fittedBox.q1, g.fittedBox.q3, g.curve.estimate[0]!, g.curve.estimate.at(-1)!]);
        boxes.push({ outcome: outcomeLabel(outcome), group: g.level, ...g.fittedBox, medLo: g.medianFitted.lo, medHi: g.medianFitted.hi });
      }
      const chart = await lineBandChart(
        groups.map((g) => ({ name: `${g.level} (n=${g.nRows})`, points: res.grid.map((x, k) => ({ x, estimate: g.curve.estimate[k]!, lo: g.curve.lo[k]!, hi: g.curve.hi[k]! })) })),
        { title: `${outcomeLabel(outcome)} by ${variable}`, xTitle: o.xTitle, yTitle: outcomeLabel(outcome) },
      );
      curves.push({ kind: 'figure', id: `${o.id}-${outcome}-${variable}-curves`, caption: `${o.figure}, ${fig}, ${PANEL[outcome] ?? outcome}: net effect of the DE index on ${outcomeLabel(outcome)} within each subgroup (partial dependence over the subgroup's rows), 95% bootstrap bands.`, svg: chart.svg, spec: chart.spec });
    }
    if (!rows.length) continue;
    blocks.push({
      kind: 'table',
      id: `${o.id}-${variable}-medians`,
      table: {
        title: `${o.figure}, ${fig}: median fitted value by subgroup`,
        columns: ['outcome', 'subgroup', 'rows', 'median fitted', 'CI low', 'CI high', 'Q1', 'Q3', 'PD at lowest index', 'PD at highest index'],
        rows,
        notes: [`Median over the subgroup's city-years of the ensemble-mean fitted value (the seed's summary statistic), 95% bootstrap percentile CI of that median over ${o.replicates} networks.`],
      },
    });
    blocks.push(...curves);
    const chart = await renderSpec(boxSpec(boxes, variable) as unknown as Parameters<typeof renderSpec>[0]);
    blocks.push({ kind: 'figure', id: `${o.id}-${variable}-box`, caption: `${o.figure}, ${fig}: distribution of ensemble-mean fitted values by subgroup (box = quartiles, whiskers = min and max, black tick = median, red bar = 95% bootstrap CI of the median).`, svg: chart.svg, spec: chart.spec });
  }
  return blocks;
}

/** Pre-aggregated box plot (five-number summary per subgroup) faceted by outcome, with the median's CI. */
function boxSpec(values: readonly Record<string, unknown>[], variable: string): Record<string, unknown> {
  const x = { field: 'group', type: 'nominal', title: variable, axis: { labelAngle: -25, labelLimit: 140 } };
  return {
    data: { values },
    facet: { column: { field: 'outcome', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 190,
      height: 220,
      layer: [
        { mark: { type: 'rule' }, encoding: { x, y: { field: 'min', type: 'quantitative', title: 'fitted value', scale: { zero: false } }, y2: { field: 'max' } } },
        { mark: { type: 'bar', size: 28, opacity: 0.7 }, encoding: { x, y: { field: 'q1', type: 'quantitative' }, y2: { field: 'q3' }, color: { field: 'group', type: 'nominal', legend: null } } },
        { mark: { type: 'tick', color: 'black', size: 28, thickness: 2 }, encoding: { x, y: { field: 'median', type: 'quantitative' } } },
        { mark: { type: 'rule', color: '#D55E00', strokeWidth: 4 }, encoding: { x, y: { field: 'medLo', type: 'quantitative' }, y2: { field: 'medHi' } } },
      ],
    },
  };
}
