/**
 * fixest-style model formulas: `y ~ x1 + x1:x2 + i(rel, treated, ref = c(-1, -5)) | fe1 + fe2`.
 * Parsed to a typed, JSON-safe ModelSpec; the same spec can be built with the typed builders below.
 * No transforms (log() etc.): those belong to the panel package.
 */

/** A plain regressor column. */
export interface VarTerm {
  readonly kind: 'var';
  readonly name: string;
}
/** Product of two or more numeric columns (`x1:x2`). */
export interface InteractionTerm {
  readonly kind: 'interaction';
  readonly vars: readonly string[];
}
/** fixest `i(factor, by, ref = ...)`: one dummy (times `by`) per level of `factor` except the refs. */
export interface FactorTerm {
  readonly kind: 'i';
  readonly factor: string;
  readonly by?: string;
  readonly ref: readonly (number | string)[];
}
export type Term = VarTerm | InteractionTerm | FactorTerm;

export interface ModelSpec {
  readonly lhs: string;
  readonly terms: readonly Term[];
  readonly intercept: boolean;
  /** One entry per fixed-effect dimension; several names mean a combined FE (`a^b`). */
  readonly fixef: readonly (readonly string[])[];
}

/** A malformed formula; `position` is the 0-based character offset of the offending token. */
export class FormulaError extends Error {
  readonly position: number;
  readonly token: string;
  constructor(message: string, formula: string, position: number, token: string) {
    super(`${message} at position ${position} ('${token}'):\n  ${formula}\n  ${' '.repeat(position)}^`);
    this.name = 'FormulaError';
    this.position = position;
    this.token = token;
  }
}

// ---- typed builders ----

export const v = (name: string): VarTerm => Object.freeze({ kind: 'var', name });
export const inter = (...vars: string[]): InteractionTerm => Object.freeze({ kind: 'interaction', vars: Object.freeze([...vars]) });
export function iTerm(factor: string, opts: { by?: string; ref?: number | string | readonly (number | string)[] } = {}): FactorTerm {
  const ref = opts.ref === undefined ? [] : Array.isArray(opts.ref) ? [...opts.ref] : [opts.ref as number | string];
  return Object.freeze({ kind: 'i', factor, ...(opts.by !== undefined ? { by: opts.by } : {}), ref: Object.freeze(ref) });
}

/** Builds (and validates) a ModelSpec from typed parts; strings in `terms` are plain variables. */
export function modelSpec(parts: {
  lhs: string;
  terms?: readonly (Term | string)[];
  fixef?: readonly (string | readonly string[])[];
  intercept?: boolean;
}): ModelSpec {
  const terms = (parts.terms ?? []).map((t) => (typeof t === 'string' ? v(t) : t));
  const fixef = (parts.fixef ?? []).map((f) => Object.freeze(typeof f === 'string' ? [f] : [...f]));
  if (!parts.lhs) throw new Error('modelSpec: option lhs (dependent variable) is required');
  return Object.freeze({
    lhs: parts.lhs,
    terms: Object.freeze(terms),
    intercept: parts.intercept ?? fixef.length === 0,
    fixef: Object.freeze(fixef),
  });
}

/** Renders a spec back to fixest syntax (round-trips through parseFormula). */
export function formatFormula(spec: ModelSpec): string {
  const rhs = spec.terms.map(termLabel);
  if (!spec.intercept && spec.fixef.length === 0) rhs.push('0');
  let out = `${spec.lhs} ~ ${rhs.length ? rhs.join(' + ') : '1'}`;
  if (spec.fixef.length) out += ` | ${spec.fixef.map((f) => f.join('^')).join(' + ')}`;
  return out;
}

export function termLabel(t: Term): string {
  if (t.kind === 'var') return t.name;
  if (t.kind === 'interaction') return t.vars.join(':');
  const refs = t.ref.map((r) => (typeof r === 'string' ? JSON.stringify(r) : String(r)));
  const ref = refs.length === 0 ? '' : refs.length === 1 ? `, ref = ${refs[0]}` : `, ref = c(${refs.join(', ')})`;
  return `i(${t.factor}${t.by ? `, ${t.by}` : ''}${ref})`;
}

// ---- parser ----

type TokKind = 'name' | 'num' | 'str' | 'op' | 'end';
interface Tok {
  kind: TokKind;
  text: string;
  pos: number;
}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[A-Za-z_.]/.test(c) && !/^\.\d/.test(src.slice(i, i + 2))) {
      while (i < src.length && /[A-Za-z0-9_.]/.test(src[i]!)) i++;
      toks.push({ kind: 'name', text: src.slice(start, i), pos: start });
    } else if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new FormulaError('unterminated backquoted name', src, start, c);
      toks.push({ kind: 'name', text: src.slice(i + 1, end), pos: start });
      i = end + 1;
    } else if (/[0-9.]/.test(c)) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i))!;
      i += m[0].length;
      toks.push({ kind: 'num', text: m[0], pos: start });
    } else if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new FormulaError('unterminated string', src, start, c);
      toks.push({ kind: 'str', text: src.slice(i + 1, end), pos: start });
      i = end + 1;
    } else if ('~+|:()=,^-*'.includes(c)) {
      toks.push({ kind: 'op', text: c, pos: start });
      i++;
    } else {
      throw new FormulaError('unexpected character', src, start, c);
    }
  }
  toks.push({ kind: 'end', text: '<end>', pos: src.length });
  return toks;
}

class Parser {
  #k = 0;
  constructor(
    readonly src: string,
    readonly toks: Tok[],
  ) {}
  peek(): Tok {
    return this.toks[this.#k]!;
  }
  next(): Tok {
    return this.toks[this.#k++]!;
  }
  fail(message: string, tok = this.peek()): never {
    throw new FormulaError(message, this.src, tok.pos, tok.text);
  }
  isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }
  expectOp(text: string): Tok {
    if (!this.isOp(text)) this.fail(`expected '${text}'`);
    return this.next();
  }
  name(what: string): string {
    const t = this.peek();
    if (t.kind !== 'name') this.fail(`expected ${what}`);
    this.next();
    return t.text;
  }
}

/** Parses `lhs ~ rhs [| fe1 + fe2^fe3]`. Throws FormulaError pointing at the bad token. */
export function parseFormula(text: string): ModelSpec {
  const p = new Parser(text, tokenize(text));
  const lhs = p.name('the dependent variable before ~');
  p.expectOp('~');
  const terms: Term[] = [];
  let intercept = true;
  let sign = 1;
  for (;;) {
    const t = p.peek();
    if (t.kind === 'num' && (t.text === '0' || t.text === '1')) {
      p.next();
      if (t.text === '0' || sign < 0) intercept = false;
    } else if (sign < 0) {
      p.fail("only '- 1' (no intercept) may be subtracted");
    } else {
      for (const term of parseTerm(p)) {
        if (!terms.some((u) => termLabel(u) === termLabel(term))) terms.push(term);
      }
    }
    if (p.isOp('+')) {
      p.next();
      sign = 1;
    } else if (p.isOp('-')) {
      p.next();
      sign = -1;
    } else break;
  }
  const fixef: string[][] = [];
  if (p.isOp('|')) {
    p.next();
    for (;;) {
      const parts = [p.name('a fixed-effect variable')];
      while (p.isOp('^')) {
        p.next();
        parts.push(p.name('a fixed-effect variable after ^'));
      }
      fixef.push(parts);
      if (!p.isOp('+')) break;
      p.next();
    }
  }
  if (p.peek().kind !== 'end') p.fail(p.isOp('|') ? 'only one | section (fixed effects) is supported' : 'unexpected token');
  return modelSpec({ lhs, terms, fixef, intercept: fixef.length === 0 ? intercept : false });
}

function parseTerm(p: Parser): Term[] {
  const first = p.peek();
  if (first.kind === 'name' && first.text === 'i' && p.toks[p.toks.indexOf(first) + 1]?.text === '(') return [parseI(p)];
  if (first.kind === 'name' && p.toks[p.toks.indexOf(first) + 1]?.text === '(') {
    p.fail(`function '${first.text}()' is not supported in formulas (transforms belong to the panel package)`);
  }
  const vars = [p.name('a variable name')];
  let star = false;
  while (p.isOp(':') || p.isOp('*')) {
    star = star || p.isOp('*');
    p.next();
    vars.push(p.name('a variable name'));
  }
  if (vars.length === 1) return [v(vars[0]!)];
  if (!star) return [inter(...vars)];
  if (vars.length !== 2) p.fail('a*b is supported for two variables only');
  return [v(vars[0]!), v(vars[1]!), inter(vars[0]!, vars[1]!)];
}

function parseI(p: Parser): FactorTerm {
  p.next(); // i
  p.expectOp('(');
  const factor = p.name('the factor variable of i()');
  let by: string | undefined;
  let ref: (number | string)[] = [];
  while (p.isOp(',')) {
    p.next();
    const t = p.peek();
    const after = p.toks[p.toks.indexOf(t) + 1];
    if (t.kind === 'name' && after?.text === '=') {
      if (t.text !== 'ref') p.fail(`unknown i() argument '${t.text}' (allowed: ref)`);
      p.next();
      p.next();
      ref = parseValues(p);
    } else if (t.kind === 'name' && by === undefined) {
      p.next();
      by = t.text;
    } else p.fail('expected the interacted variable or ref = ... in i()');
  }
  p.expectOp(')');
  return iTerm(factor, { ...(by !== undefined ? { by } : {}), ref });
}

function parseValues(p: Parser): (number | string)[] {
  const t = p.peek();
  if (t.kind === 'name' && t.text === 'c') {
    p.next();
    p.expectOp('(');
    const out: (number | string)[] = [parseValue(p)];
    while (p.isOp(',')) {
      p.next();
      out.push(parseValue(p));
    }
    p.expectOp(')');
    return out;
  }
  return [parseValue(p)];
}

function parseValue(p: Parser): number | string {
  let neg = false;
  if (p.isOp('-')) {
    p.next();
    neg = true;
  }
  const t = p.peek();
  if (t.kind === 'num') {
    p.next();
    return neg ? -Number(t.text) : Number(t.text);
  }
  if (t.kind === 'str' && !neg) {
    p.next();
    return t.text;
  }
  return p.fail('expected a number or a quoted level');
}
