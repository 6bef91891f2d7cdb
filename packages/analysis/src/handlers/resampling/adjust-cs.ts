import { csEventTimeMultipleTesting, csMultipleTesting, type AggteResult, type CsEventTimeMultipleTestingResult, type CsMultipleTestingResult } from '@panel-lab/did';
import type { ComputeContext } from '@panel-lab/compute';
import type { Block, Cell } from '@panel-lab/report';
import type { AnalysisContext } from '../../handler.js';
import { AnalysisInputError } from '../../failure.js';
import { dataTable, type DataTable } from '../../results/tables.js';
import type { MultipleTestingSpec } from './romano-wolf.js';

/** Romano–Wolf (2005) / Westfall–Young (1993), with the multiplier bootstrap of Callaway & Sant'Anna (2021). */
const CITATION = "Romano & Wolf (2005, Econometrica 73(4); 2016, Stat. Probab. Lett. 113), Westfall & Young (1993); the draws are Callaway & Sant'Anna's (2021, J. Econometrics 225(2)) multiplier bootstrap of the influence functions";

export interface CsAdjustOutput {
  /** Romano–Wolf p of the simple ATT per outcome, for the summary table's column. */
  readonly simpleRomanoWolf: ReadonlyMap<string, number>;
  /** The overall ATTs' table, then the dynamic event times' table. */
  readonly blocks: Block[];
  readonly result: Record<string, (Omit<CsMultipleTestingResult, 'rows'> & { rows: unknown[] }) | CsEventTimeMultipleTestingResult>;
  readonly tables: Record<string, DataTable>;
}

/**
 * callaway_santanna's `adjust`: for each aggregation, the overall ATTs of the outcomes form one
 * family, adjusted from one multiplier bootstrap whose weight per unit (cluster) is shared by every
 * outcome. The same draws (seed) serve the four aggregations.
 */
export async function csAdjust(
  ctx: AnalysisContext,
  compute: ComputeContext,
  req: { id: string; adjust: MultipleTestingSpec; aggregations: readonly string[]; byOutcome: readonly { outcome: string; aggs: Record<string, AggteResult> }[]; cluster: string | undefined },
): Promise<CsAdjustOutput> {
  if (req.byOutcome.length < 2) throw new AnalysisInputError(`option adjust: multiple testing needs two or more outcomes, got ${req.byOutcome.length}`);
  ctx.progress({ step: `Romano–Wolf over ${req.byOutcome.length} outcomes`, fraction: 1 });
  const results: Record<string, CsMultipleTestingResult> = {};
  for (const type of req.aggregations) {
    try {
      results[type] = await csMultipleTesting(
        req.byOutcome.map((o) => ({ outcome: o.outcome, result: o.aggs[type]! })),
        compute,
        { seed: ctx.seed, draws: req.adjust.draws, weights: req.adjust.weights, keepDraws: type === 'simple' },
      );
    } catch (e) {
      throw new AnalysisInputError(`option adjust (${req.id}, ${type} aggregation): ${(e as Error).message}`);
    }
  }
  const first = results[req.aggregations[0]!]!;
  const rows: Cell[][] = req.aggregations.flatMap((type) => results[type]!.rows.map((r) => [type, r.outcome, r.estimate, r.se, r.statistic, r.pValue, r.pRomanoWolf, r.pWestfallYoung, r.pWestfallYoungMinP]));
  const block: Block = {
    kind: 'table',
    id: `${req.id}-adjust`,
    table: {
      title: `Multiple testing across ${req.byOutcome.length} outcomes (multiplier bootstrap, weights shared by the outcomes)`,
      columns: ['aggregation', 'outcome', 'overall ATT', 'bootstrap SE', 't', 'bootstrap p', 'Romano–Wolf p', 'Westfall–Young p (maxT)', 'Westfall–Young p (minP)'],
      rows,
      notes: [
        `Family: for each aggregation, the overall ATTs of the ${req.byOutcome.length} outcomes (H0: ATT = 0 for each); the four aggregations are separate families.`,
        `Draws: the multiplier bootstrap of the influence functions (${req.adjust.weights} weights, ${first.spec.draws} draws, seed ${ctx.seed}) with one weight per ${first.clusteredBy === 'cluster' ? `cluster (${req.cluster})` : first.clusteredBy === 'unit' ? 'unit' : 'observation'} shared by every outcome (${first.nClusters} in all), so the draws keep the outcomes' joint dependence. t = ATT / SE with the bootstrap (IQR) SE of these draws, which can differ slightly from the SE in the table above (its own draws per outcome).`,
        `Romano–Wolf: stepdown over the outcomes by |t| (max |t*| over those not yet rejected); Westfall–Young maxT: single step over all; minP: stepdown over the draws' marginal p-values. Each controls the familywise error rate within the family. ${CITATION}.`,
      ],
    },
  };
  const blocks = [block];
  let eventTimes: CsEventTimeMultipleTestingResult | null = null;
  if (req.aggregations.includes('dynamic')) {
    try {
      eventTimes = await csEventTimeMultipleTesting(req.byOutcome.map((o) => ({ outcome: o.outcome, result: o.aggs['dynamic']! })), compute, { seed: ctx.seed, draws: req.adjust.draws, weights: req.adjust.weights });
    } catch (e) {
      throw new AnalysisInputError(`option adjust (${req.id}, dynamic event times): ${(e as Error).message}`);
    }
    const size = (f: string) => eventTimes!.families.find((x) => x.family === f)?.size ?? 0;
    const ordered = [...eventTimes.rows].sort((a, b) => (a.family === b.family ? 0 : a.family === 'post' ? -1 : 1));
    blocks.push({
      kind: 'table',
      id: `${req.id}-adjust-dynamic`,
      table: {
        title: `Dynamic ATT(e) adjusted across ${req.byOutcome.length} outcomes and event times (multiplier bootstrap, weights shared)`,
        columns: ['family', 'outcome', 'event time', 'ATT(e)', 'bootstrap SE', 't', 'bootstrap p', 'Romano–Wolf p', 'Westfall–Young p (maxT)', 'Westfall–Young p (minP)'],
        rows: ordered.map((r) => [r.family === 'post' ? 'effects (e ≥ 0)' : 'pre-treatment (e < 0)', r.outcome, r.eventTime, r.estimate, r.se, r.statistic, r.pValue, r.pRomanoWolf, r.pWestfallYoung, r.pWestfallYoungMinP]),
        notes: [
          `Families: the ${size('post')} effects ATT(e), e ≥ 0, of all outcomes (what the event-study figures show) form one family; the ${size('pre')} pre-treatment estimates (placebo checks of parallel trends) another. Adjusting over event times as well as outcomes guards against picking a significant horizon as much as a significant outcome; the pre-treatment estimates are kept apart so the effects do not pay for the placebo tests.`,
          `The same draws as the table above (seed ${ctx.seed}, ${req.adjust.draws} draws, ${req.adjust.weights} weights, one weight per ${first.clusteredBy === 'cluster' ? 'cluster' : 'unit'} for every outcome and event time); SE per (outcome, e) from these draws. ${CITATION}.`,
          ...eventTimes.skipped.map((x) => `${x.outcome}, e = ${x.eventTime}: left out (${x.reason}).`),
        ],
      },
    });
  }
  const simple = results['simple'];
  const tables: Record<string, DataTable> = {};
  if (simple) {
    tables['adjust.draws'] = dataTable(
      'one bootstrap draw: the t statistic of every outcome\'s simple ATT (shared weights)',
      Object.fromEntries([['draw', Array.from({ length: simple.spec.draws }, (_, k) => k)], ...simple.rows.map((r) => [`t_star_${r.outcome}`, r.tStar!])]),
    );
  }
  const result = Object.fromEntries(Object.entries(results).map(([type, res]) => {
    const { rows: kept, ...rest } = res;
    return [type, { ...rest, rows: kept.map(({ tStar: _t, ...r }) => r) }];
  }));
  return { simpleRomanoWolf: new Map((simple?.rows ?? []).map((r) => [r.outcome, r.pRomanoWolf])), blocks, result: { ...result, ...(eventTimes ? { event_times: eventTimes } : {}) }, tables };
}
