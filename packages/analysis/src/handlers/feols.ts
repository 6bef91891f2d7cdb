import { z } from 'zod';
import { feols, glance, tidy } from '@panel-lab/regression';
import { defineHandler } from '../handler.js';
import { modelFromFeols } from '../results/models.js';
import { analysisObject } from './common.js';
import { etableBlock } from './twfe.js';
import { sscField, vcovField, weightsField } from './inference.js';

export const feolsOptions = analysisObject('feols', {
  formulas: z
    .array(z.string().min(1))
    .min(1)
    .describe("fixest formulas, one table column each: 'y ~ x1 + x2 | fe1 + fe2' (no '|' part: plain OLS, which needs no time column)"),
  vcov: vcovField.default('iid').describe("variance estimator as fixest vcov (default 'iid', as the library and fixest >= 0.13)"),
  ssc: sscField.optional(),
  weights: weightsField.optional(),
  removeSingletons: z.boolean().default(false).describe('drop fixed-effect singletons iteratively (fixest fixef.rm = "singleton"); default false, as the library'),
  keepResiduals: z.boolean().default(false).describe('write each fit\'s residuals (estimation-sample order) to the results'),
  tol: z.number().positive().optional().describe('demeaning tolerance (library default 1e-10)'),
  maxIter: z.number().int().positive().optional().describe('demeaning iteration cap (library default 10000)'),
  demeanMethod: z.enum(['auto', 'iterative']).default('auto').describe("'auto' (default, as the library): exact / reduced solvers where they apply; 'iterative': alternating projections with Irons-Tuck"),
  allowNonConvergence: z.boolean().default(false).describe('keep a fit whose demeaning did not converge (marked meta.converged = false) instead of failing (default false, as the library)'),
  caption: z.string().optional(),
});

/** Any fixest-style regression, e.g. plain OLS on a cross-section (runs without a time column). */
export const feolsHandler = defineHandler({
  estimator: 'feols',
  description: 'fixest-style OLS with optional high-dimensional fixed effects, any vcov; one column per formula',
  options: feolsOptions,
  needsTime: false,
  async run(ctx, opts) {
    const fits = opts.formulas.map((formula, i) => {
      ctx.progress({ step: `feols ${formula}`, fraction: i / opts.formulas.length });
      return feols(formula, ctx.frame, {
        vcov: opts.vcov,
        removeSingletons: opts.removeSingletons,
        keepResiduals: opts.keepResiduals,
        ...(opts.ssc ? { ssc: opts.ssc } : {}),
        ...(opts.weights ? { weights: opts.weights } : {}),
        ...(opts.tol !== undefined ? { tol: opts.tol } : {}),
        ...(opts.maxIter !== undefined ? { maxIter: opts.maxIter } : {}),
        // spread: options a newer library takes (no excess-property check on spreads)
        ...{ demeanMethod: opts.demeanMethod, allowNonConvergence: opts.allowNonConvergence },
      });
    });
    const names = fits.map((f, i) => (fits.filter((g) => g.spec.lhs === f.spec.lhs).length > 1 ? `(${i + 1}) ${f.spec.lhs}` : f.spec.lhs));
    const title = opts.title ?? 'Regressions';
    return {
      title,
      blocks: [etableBlock(opts.id, opts.caption ?? title, fits)],
      results: Object.fromEntries(
        fits.map((f, i) => [names[i]!, { formula: f.formula, tidy: tidy(f), glance: glance(f), vcov: f.vcov, vcovSpec: f.vcovSpec, ssc: f.ssc, collinear: f.collinear, dropped: f.dropped, ...(f.residuals ? { residuals: f.residuals } : {}) }]),
      ),
      models: fits.map((f, i) => modelFromFeols(names[i]!, f)),
    };
  },
});
