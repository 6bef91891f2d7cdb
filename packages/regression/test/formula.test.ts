import { describe, expect, it } from 'vitest';
import { FormulaError, formatFormula, iTerm, inter, modelSpec, parseFormula, v } from '../src/index.js';

describe('parseFormula', () => {
  it('parses regressors, interactions and fixed effects', () => {
    const s = parseFormula('y ~ x1 + x2 + x1:x2 | fe1 + fe2');
    expect(s).toEqual(modelSpec({ lhs: 'y', terms: ['x1', 'x2', inter('x1', 'x2')], fixef: ['fe1', 'fe2'] }));
    expect(s.intercept).toBe(false);
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('keeps an intercept without FE, drops it with 0 or - 1', () => {
    expect(parseFormula('y ~ x').intercept).toBe(true);
    expect(parseFormula('y ~ x + 0').intercept).toBe(false);
    expect(parseFormula('y ~ x - 1').intercept).toBe(false);
  });

  it('parses i() with one or several refs and an interacted variable', () => {
    expect(parseFormula('y ~ i(rel_time, ref = -1) | id').terms).toEqual([iTerm('rel_time', { ref: -1 })]);
    expect(parseFormula('y ~ i(rel_time, treated, ref = c(-1, -5)) | id').terms).toEqual([iTerm('rel_time', { by: 'treated', ref: [-1, -5] })]);
    expect(parseFormula("y ~ i(region, ref = 'north')").terms).toEqual([iTerm('region', { ref: 'north' })]);
    expect(parseFormula('y ~ i(k)').terms).toEqual([iTerm('k')]);
  });

  it('accepts dotted and backquoted names, combined FE and a*b', () => {
    const s = parseFormula('lemp ~ `treat post` + first.treat * x | countyreal^year');
    expect(s.terms).toEqual([v('treat post'), v('first.treat'), v('x'), inter('first.treat', 'x')]);
    expect(s.fixef).toEqual([['countyreal', 'year']]);
  });

  it('round-trips through formatFormula', () => {
    for (const f of ['y ~ x1 + x1:x2 | a + b^c', 'y ~ i(e, d, ref = c(-1, -5)) + x | id + t', 'y ~ x + 0', 'y ~ x']) {
      expect(parseFormula(formatFormula(parseFormula(f)))).toEqual(parseFormula(f));
    }
  });

  const bad: [string, number, RegExp][] = [
    ['y x1', 2, /expected '~'/],
    ['~ x', 0, /dependent variable/],
    ['y ~ x1 + ', 9, /variable name/],
    ['y ~ log(x)', 4, /log\(\)/],
    ['y ~ x | fe1 | fe2', 12, /one \| section/],
    ['y ~ i(e, ref = )', 15, /number or a quoted level/],
    ['y ~ i(e, lvl = 1)', 9, /unknown i\(\) argument 'lvl'/],
    ['y ~ x $ z', 6, /unexpected character/],
    ['y ~ x - z', 8, /only '- 1'/],
  ];
  for (const [text, pos, msg] of bad) {
    it(`rejects '${text}' pointing at position ${pos}`, () => {
      let err: unknown;
      try {
        parseFormula(text);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(FormulaError);
      expect((err as FormulaError).position).toBe(pos);
      expect((err as FormulaError).message).toMatch(msg);
    });
  }
});
