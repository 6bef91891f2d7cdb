import { z } from 'zod';
import { baconDecomposition, plotData } from '@panel-lab/did';
import { scatterChart, type Block } from '@panel-lab/report';
import { defineHandler } from '../handler.js';
import { analysisObject } from './common.js';
import { completeUnits } from './complete-units.js';

export const baconOptions = analysisObject('bacon', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1),
  controls: z.array(z.string().min(1)).default([]),
  figure: z.string().default('Goodman-Bacon decomposition'),
});

/** Goodman-Bacon decomposition of the TWFE estimate (seed 000 Tables 5-6). */
export const baconHandler = defineHandler({
  estimator: 'bacon',
  description: 'Goodman-Bacon decomposition: every 2x2 DID, its weight, by-type summaries',
  options: baconOptions,
  async run(ctx, opts) {
    const blocks: Block[] = [];
    const results: Record<string, unknown> = {};
    for (const [i, outcome] of opts.outcomes.entries()) {
      ctx.progress({ step: `Bacon ${outcome}`, fraction: i / opts.outcomes.length });
      // The decomposition needs a balanced panel: units with a missing outcome (e.g. no district heating) are left out, counted.
      const sample = completeUnits(ctx.frame, [outcome, ...opts.controls]);
      const b = baconDecomposition(sample.frame, { outcome, treatment: { cohort: opts.cohort }, controls: opts.controls });
      results[outcome] = { byType: b.byType, twoByTwos: b.twoByTwos, twfe: b.twfe, overall: b.overall, identityResidual: b.identityResidual, within: b.within };
      blocks.push({
        kind: 'table',
        id: `${opts.id}-${outcome}`,
        table: {
          title: `Bacon decomposition by comparison type: ${outcome}`,
          columns: ['comparison', 'weight', 'weighted-average 2x2 estimate', 'number of 2x2s'],
          rows: b.byType.map((t) => [t.type, t.weight, t.avgEstimate, t.count]),
          notes: [
            `TWFE estimate ${b.twfe.toFixed(4)}; weighted sum of the 2x2s ${b.overall.toFixed(4)} (identity residual ${b.identityResidual.toExponential(1)}).`,
            ...(sample.droppedUnits ? [`${sample.droppedUnits} units without complete data left out (${sample.keptUnits} kept): the decomposition needs a balanced panel.`] : []),
            ...(b.within ? [`With controls: within-timing-group share ${b.within.omega.toFixed(3)}, within estimate ${b.within.estimate.toFixed(4)}.`] : []),
          ],
        },
      });
      const pd = plotData(b);
      if (pd.kind === 'bacon_scatter') {
        const chart = await scatterChart(
          pd.points.map((p) => ({ weight: p.x, estimate: p.y, type: p.type, label: p.label })),
          { title: `Bacon decomposition: ${outcome}`, xTitle: 'weight', yTitle: '2x2 DID estimate', reference: b.twfe, referenceLabel: 'TWFE' },
        );
        blocks.push({ kind: 'figure', id: `${opts.id}-${outcome}-scatter`, caption: `${opts.figure}: ${outcome}, each 2x2 DID estimate against its weight, with the TWFE estimate.`, svg: chart.svg, spec: chart.spec });
      }
    }
    return { title: opts.title ?? 'Goodman-Bacon decomposition', blocks, results };
  },
});
