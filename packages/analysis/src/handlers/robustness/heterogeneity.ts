import { z } from 'zod';
import { heterogeneityDid, type RobustEstimate } from '@panel-lab/did';
import type { Block, ComparisonRow } from '@panel-lab/report';
import { defineHandler } from '../../handler.js';
import { analysisObject } from '../common.js';
import { alphaField, clusterField } from '../inference.js';
import { groundTruth } from '../truth.js';
import { coefficientTable, jsonSafe } from './shared.js';

export const heterogeneityOptions = analysisObject('heterogeneity', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1),
  controls: z.array(z.string().min(1)).default([]),
  interactions: z.array(z.object({ name: z.string().min(1), column: z.string().min(1) }).strict()).default([]),
  subgroupColumn: z.string().optional().describe('unit-level categorical (e.g. pilot type) for side-by-side subgroup effects'),
  subgroupMode: z.enum(['pooled', 'separate', 'cs']).default('pooled'),
  cluster: clusterField.optional(),
  alpha: alphaField,
  caption: z.string().default('Heterogeneity'),
});

/** Interactions with unit dummies and subgroup effects (seed 000 Tables 12-13). */
export const heterogeneityHandler = defineHandler({
  estimator: 'heterogeneity',
  description: 'treatment interacted with unit-level dummies and subgroup effects by a categorical',
  options: heterogeneityOptions,
  async run(ctx, opts) {
    const fits: { outcome: string; result: RobustEstimate }[] = [];
    const comparisons: ComparisonRow[] = [];
    const truth = groundTruth(ctx.truth);
    // An interaction needs its dummy to vary among treated units; one that does not is left out, with a note.
    const cohort = ctx.frame.numeric(opts.cohort);
    const varies = (column: string) => {
      const seen = new Set<number>();
      const z = ctx.frame.numeric(column);
      for (let i = 0; i < z.length; i++) if (cohort[i]! > 0 && Number.isFinite(z[i]!)) seen.add(z[i]!);
      return seen.size > 1;
    };
    const interactions = opts.interactions.filter((x) => varies(x.column));
    const skipped = opts.interactions.filter((x) => !interactions.includes(x)).map((x) => `${x.name} (${x.column}) does not vary among treated units here, so its interaction is not identified and was left out.`);
    for (const [i, outcome] of opts.outcomes.entries()) {
      ctx.progress({ step: `heterogeneity ${outcome}`, fraction: i / opts.outcomes.length });
      const r = heterogeneityDid(ctx.frame, {
        outcome,
        treatment: { cohort: opts.cohort },
        controls: opts.controls,
        alpha: opts.alpha,
        ...(opts.cluster ? { cluster: opts.cluster } : {}),
        interactions,
        ...(opts.subgroupColumn ? { subgroups: { column: opts.subgroupColumn, mode: opts.subgroupMode } } : {}),
      });
      fits.push({ outcome, result: r });
      for (const row of r.subgroups) {
        const t = truth?.attByPilotType.find((x) => x.outcome === outcome && String(x.pilotType) === row.subgroup);
        if (t) comparisons.push({ quantity: `${row.subgroup}, ${outcome}`, estimate: row.estimate, truth: t.att, std_error: row.se, conf_low: row.confLow, conf_high: row.confHigh });
      }
    }
    const blocks: Block[] = [
      coefficientTable(opts.id, opts.caption, fits, [
        "'D + D x Z' is the effect where the dummy is 1 (linear combination, SE from the covariance).",
        ...skipped,
        ...(opts.subgroupColumn ? [`Subgroups by ${opts.subgroupColumn} (${opts.subgroupMode}), each against all never-treated units.`] : []),
      ]),
    ];
    if (comparisons.length) blocks.push({ kind: 'comparison', id: `${opts.id}-truth`, title: 'Subgroup effects vs the true ATT by pilot type', rows: comparisons, notes: ['TWFE subgroup coefficients weight cohorts and years differently from the true mean effect, and the smallest pilot types have only a few cities.'] });
    return { title: opts.title ?? opts.caption, blocks, results: Object.fromEntries(fits.map((f) => [f.outcome, jsonSafe(f.result)])) };
  },
});
