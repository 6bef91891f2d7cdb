import { z } from 'zod';
import { spatialDid, tidyRobust, type RobustEstimate, type SpatialDidResult } from '@panel-lab/did';
import { modelFromRobust } from '../../results/models.js';
import type { Block, ComparisonRow } from '@panel-lab/report';
import { defineHandler } from '../../handler.js';
import { analysisObject } from '../common.js';
import { alphaField, clusterField } from '../inference.js';
import { groundTruth } from '../truth.js';
import { coefficientTable, jsonSafe } from './shared.js';
import { conleyRingTable } from './spatial-conley.js';

export const spatialOptions = analysisObject('spatial_did', {
  outcomes: z.array(z.string().min(1)).min(1),
  cohort: z.string().min(1),
  lat: z.string().min(1).default('lat'),
  lon: z.string().min(1).default('lon'),
  edgesKm: z.array(z.number().min(0)).min(2).default([0, 100, 200, 300]),
  mode: z
    .enum(['any', 'nearest', 'butts'])
    .default('any')
    .describe(
      "ring definition: 'any' (seed: ring k on when another treated unit lies in it, not exclusive), 'nearest' (only the ring of the nearest treated unit, treated rows included) or 'butts' (Butts 2023 main specification: mutually exclusive rings by the distance to the nearest already-treated unit, on only for rows not yet treated)",
    ),
  controls: z.array(z.string().min(1)).default([]),
  fixedEffects: z.array(z.string().min(1)).min(1).optional().describe('first-stage fixed effects (default unit + time, as the library)'),
  splitByOwnTreatment: z.boolean().default(false).describe('ring effects separately for treated and untreated units (default false, as the library)'),
  cluster: clusterField.optional(),
  conleyKm: z
    .array(z.number().positive())
    .default([])
    .describe('cut-offs (km) of a further table: the TWFE ring regression with SEs clustered by unit and Conley spatial HAC SEs at each cut-off (default none)'),
  alpha: alphaField,
  caption: z.string().default('Spatial two-stage DID'),
});

const RING_NOTES = {
  any: 'Rings follow the seed: ring k is on when another treated city lies within that band this year (not mutually exclusive).',
  nearest: 'Only the ring of the nearest treated city this year is on (mutually exclusive), for treated and untreated cities alike.',
  butts: "Butts (2023) main specification: mutually exclusive rings by the distance to the nearest city already treated this year, on only for cities not yet treated (ring coefficients are spillovers onto untreated cities).",
} as const;

/** Butts-style spillover rings with a first stage on never-treated, never-exposed rows (seed 000 Table 10). */
export const spatialHandler = defineHandler({
  estimator: 'spatial_did',
  description: 'spatial spillovers: concentric exposure rings and the two-stage DID',
  options: spatialOptions,
  async run(ctx, opts) {
    const fits: { outcome: string; result: RobustEstimate }[] = [];
    const comparisons: ComparisonRow[] = [];
    const truth = groundTruth(ctx.truth);
    const results: Record<string, unknown> = {};
    let counts = '';
    for (const [i, outcome] of opts.outcomes.entries()) {
      ctx.progress({ step: `spatial DID ${outcome}`, fraction: i / opts.outcomes.length });
      const r = spatialDid(ctx.frame, { outcome, treatment: { cohort: opts.cohort }, lat: opts.lat, lon: opts.lon, edgesKm: opts.edgesKm, mode: opts.mode, controls: opts.controls, splitByOwnTreatment: opts.splitByOwnTreatment, alpha: opts.alpha, ...(opts.fixedEffects ? { fixedEffects: opts.fixedEffects } : {}), ...(opts.cluster ? { cluster: opts.cluster } : {}) });
      fits.push({ outcome, result: r });
      results[outcome] = jsonSafe({ mode: r.spec.mode, coefs: r.coefs, counts: r.counts, drops: r.drops });
      counts = `${r.counts.treated} treated, ${r.counts.exposedUntreated} exposed untreated and ${r.counts.clean} clean observations (first stage on the clean ones).`;
      if (truth && outcome === 'ln_co2_elec_ind') {
        const rows = tidyRobust(r).slice(1);
        rows.forEach((row, k) => {
          const t = truth.spillover.lnElecInd[k];
          if (t !== undefined) comparisons.push({ quantity: `spillover ring ${k + 1}, ${outcome}`, estimate: row.estimate, truth: t, std_error: row.std_error, conf_low: row.conf_low, conf_high: row.conf_high });
        });
      }
    }
    const blocks: Block[] = [
      coefficientTable(opts.id, `${opts.caption}: direct effect and spillovers by distance ring (km: ${opts.edgesKm.join(', ')})`, fits, [
        RING_NOTES[opts.mode] + " Distances are haversine on the cities' WGS-84 coordinates.",
        counts,
      ]),
    ];
    if (opts.conleyKm.length) blocks.push(conleyRingTable(opts.id, ctx.frame, { ...opts, caption: opts.caption }));
    if (comparisons.length) blocks.push({ kind: 'comparison', id: `${opts.id}-truth`, title: 'Ring spillovers vs the generator\'s true spillovers', rows: comparisons });
    return { title: opts.title ?? opts.caption, blocks, results, models: fits.map((f) => modelFromRobust(f.outcome, f.outcome, 'spatialDid', (f.result as SpatialDidResult).coefs, { seType: `GMM, clustered by ${(f.result as SpatialDidResult).spec.cluster}`, fixedEffects: (f.result as SpatialDidResult).spec.fixedEffects })) };
  },
});
