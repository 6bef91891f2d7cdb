import { SEED002_OUTCOMES } from '@panel-lab/datasets';
import type { RunSpecInput } from './spec.js';

const NET_EFFECT_PANEL: Record<string, string> = { co2_002_total: 'total CO2', co2_002_intensity: 'CO2 intensity', co2_002_pc: 'CO2 per capita' };

export interface Seed002Options {
  /** Smoke-test sizes: a handful of networks, few epochs, small grids (a few seconds). */
  readonly quick: boolean;
  /** Bootstrap networks per outcome when the user set --bootstrap-draws; default see README "Seed 002 defaults". */
  readonly bootstrapDraws?: number | undefined;
}

/** Default bootstrap networks per outcome (B): see packages/analysis/README.md, "Seed 002 defaults". */
export const SEED002_DEFAULT_REPLICATES = 100;

/** Seed 002's analyses: index construction, Table 2 (ANN vs OLS), Figs 4-11 from one bootstrap ensemble per outcome. */
export function seed002Analyses(o: Seed002Options): RunSpecInput['analyses'] {
  const q = o.quick;
  const replicates = o.bootstrapDraws ?? (q ? 4 : SEED002_DEFAULT_REPLICATES);
  const training = q ? { epochs: 20, patience: 10 } : { epochs: 300, patience: 30 };
  return [
    { id: 's2-index', estimator: 'de_index_construction', title: 'Seed 002 §1.2: digital-economy index (factor analysis, entropy weights)' },
    {
      id: 's2-t2-ann-vs-ols',
      estimator: 'ann_vs_ols',
      title: 'Seed 002 Table 2: ANN vs OLS accuracy',
      splits: ['rows', 'groups'],
      restarts: q ? 1 : 2,
      folds: q ? 2 : 5,
      ...training,
    },
    // One analysis per outcome (each its own seed from its id), so a run's worker threads share them.
    ...SEED002_OUTCOMES.map((outcome) => ({
      id: `s2-f4-net-effect-${outcome.replace('co2_002_', '')}`,
      estimator: 'ann_net_effect' as const,
      title: `Seed 002 Figs 4-11 (${NET_EFFECT_PANEL[outcome]}): net effect, heterogeneity and conditional surfaces`,
      outcomes: [outcome],
      replicates: Math.max(2, replicates),
      ...training,
      ...(q ? { gridPoints: 15, surfaceGridPoints: 8, surfaceRows: 60 } : { surfaceGridPoints: 20, surfaceRows: 200 }),
    })),
  ];
}
