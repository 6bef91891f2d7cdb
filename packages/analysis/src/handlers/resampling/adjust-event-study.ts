import { eventStudyDesign, type EventStudyOptions, type EventStudyResult } from '@panel-lab/did';
import { wildMultipleTesting, type FamilyHypothesis, type WildMultipleTestingResult } from '@panel-lab/resample';
import type { Block, Cell } from '@panel-lab/report';
import type { AnalysisContext } from '../../handler.js';
import { AnalysisInputError } from '../../failure.js';
import type { MultipleTestingSpec } from './romano-wolf.js';

const CITATION = 'Romano & Wolf (2005, Econometrica 73(4); 2016, Stat. Probab. Lett. 113), Westfall & Young (1993); restricted wild cluster bootstrap as Roodman, MacKinnon, Nielsen & Webb (2019, Stata J. 19(1)) and R wildrwolf';

/** The cluster of event_study's `adjust`, checked before any fit: several outcomes, unweighted, one cluster column. */
export function eventStudyAdjustCluster(ctx: AnalysisContext, req: { outcomes: number; cluster: readonly string[] | undefined; weights: string | undefined }): string {
  if (req.outcomes < 2) throw new AnalysisInputError(`option adjust: multiple testing needs two or more outcomes, got ${req.outcomes}`);
  if (req.weights) throw new AnalysisInputError('option adjust: the wild bootstrap here is for unweighted fits; drop weights or adjust');
  const clusters = req.cluster ?? [ctx.frame.schema.unit];
  if (clusters.length !== 1) throw new AnalysisInputError(`option adjust: the wild cluster bootstrap needs one cluster variable, got cluster [${clusters.join(', ')}]`);
  return clusters[0]!;
}

/**
 * event_study's `adjust`: the event-time coefficients of all outcomes, each tested for zero by the
 * restricted wild cluster bootstrap on the event study's own design, one weight vector per draw shared
 * by every outcome and horizon. Two families from the same draws: the post-treatment coefficients
 * (e >= 0) of all outcomes, the effects the figures claim, and the pre-treatment leads of all
 * outcomes (placebo tests). Adjusting over horizons as well as outcomes guards against picking a
 * significant horizon as much as a significant outcome; pooling leads with lags would make the
 * effects' adjustment pay for the placebo tests, so they are kept apart.
 */
export async function eventStudyAdjust(
  ctx: AnalysisContext,
  req: {
    id: string;
    adjust: MultipleTestingSpec;
    design: Omit<EventStudyOptions, 'outcome' | 'alpha' | 'simultaneous' | 'cluster' | 'weights'>;
    cluster: string;
    fits: readonly EventStudyResult[];
  },
): Promise<{ block: Block; result: Omit<WildMultipleTestingResult, 'rows'> & { rows: unknown[] } }> {
  const cluster = req.cluster;
  ctx.progress({ step: `Romano–Wolf over ${req.fits.length} outcomes x event times`, fraction: 1 });
  const design = eventStudyDesign(ctx.frame, req.design);
  const hypotheses: (FamilyHypothesis & { eventTime: number })[] = [];
  for (const es of req.fits) {
    // the regressors the fit kept (a collinear dummy is neither tested nor a control)
    const kept = es.fit.coefNames;
    for (const c of es.coefs) {
      hypotheses.push({ outcome: es.spec.outcome, coefficient: c.term, controls: kept.filter((t) => t !== c.term), family: c.eventTime >= 0 ? 'post' : 'pre', eventTime: c.eventTime });
    }
  }
  let res: WildMultipleTestingResult;
  try {
    res = await wildMultipleTesting(design.data, { hypotheses: hypotheses.map(({ eventTime: _e, ...h }) => h), cluster, weights: req.adjust.weights, draws: req.adjust.draws, seed: ctx.seed });
  } catch (e) {
    throw new AnalysisInputError(`option adjust (${req.id}): ${(e as Error).message}`);
  }
  const order = res.rows.map((r, k) => ({ r, e: hypotheses[k]!.eventTime })).sort((a, b) => (a.r.family === b.r.family ? 0 : a.r.family === 'post' ? -1 : 1));
  const rows: Cell[][] = order.map(({ r, e }) => [r.family === 'post' ? 'effects (e ≥ 0)' : 'leads (e < 0)', r.outcome, e, r.estimate, r.se, r.statistic, r.pValue, r.pRomanoWolf, r.pWestfallYoung, r.pWestfallYoungMinP]);
  const size = (f: string) => res.families.find((x) => x.family === f)?.size ?? 0;
  const binned = req.design.endpoints !== 'trim' && req.design.window !== undefined;
  const block: Block = {
    kind: 'table',
    id: `${req.id}-adjust`,
    table: {
      title: `Event-study coefficients adjusted across ${req.fits.length} outcomes and event times (wild cluster bootstrap, clusters = ${cluster})`,
      columns: ['family', 'outcome', 'event time', 'estimate', 'CR1 SE', 't', 'WCR p', 'Romano–Wolf p', 'Westfall–Young p (maxT)', 'Westfall–Young p (minP)'],
      rows,
      notes: [
        `Families: the ${size('post')} post-treatment coefficients (event time ≥ 0${binned ? ', end bin included' : ''}) of all outcomes, the effects the figures show, form one family; the ${size('pre')} leads (placebo pre-trend coefficients) of all outcomes form another. Adjusting over event times as well as outcomes guards against picking a significant horizon as much as a significant outcome; leads are kept apart so the effects do not pay for the placebo tests.`,
        `Restricted wild cluster bootstrap of each coefficient = 0 in its outcome's event-study regression (the other event-time dummies and controls free; unit and time FE), ${req.adjust.weights} weights, ${res.spec.draws} draws${res.enumerated ? ' (all sign vectors)' : ''}, seed ${ctx.seed}; every draw uses one weight per cluster shared by all outcomes and event times, so their dependence is kept.`,
        `Romano–Wolf: stepdown by |t| within the family; Westfall–Young maxT: single step; minP: stepdown over the draws' marginal p-values. Each controls the familywise error rate within its family. ${CITATION}.`,
        ...res.rows.filter((r) => r.drawsDegenerate > 0).map((r) => `${r.outcome}, ${r.coefficient}: ${r.drawsDegenerate} draws with a zero bootstrap score (counted as exceeding).`),
      ],
    },
  };
  return { block, result: { ...res, rows: res.rows.map((r, k) => ({ ...r, eventTime: hypotheses[k]!.eventTime })) } };
}
