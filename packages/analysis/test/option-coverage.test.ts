/**
 * One source of truth for options (issue 19): every public option type of the library is placed in
 * test/option-coverage/registry.ts — reached from the spec (a field of the same name, a renamed field,
 * or a stated reason to leave it out) or marked as a building block — and every exported estimator
 * has a handler. A new library option or estimator fails this test until the spec reaches it.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ANALYSIS_HANDLERS } from '../src/index.js';
import { readLibraryExports } from './option-coverage/library-options.js';
import { COVERAGE, ESTIMATORS, EVERYWHERE, type Reached } from './option-coverage/registry.js';

const library = readLibraryExports();
const handlers = new Map(ANALYSIS_HANDLERS.map((h) => [h.estimator, h]));

/** Unwraps optional / default / nullable layers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema as z.ZodType & { _zod: { def: { type: string; innerType?: z.ZodType } } };
  while (['optional', 'default', 'nullable', 'prefault'].includes(s._zod.def.type) && s._zod.def.innerType) s = s._zod.def.innerType as typeof s;
  return s;
}

/** Whether a dotted path names a field of the schema (looking into objects, arrays and union members). */
function hasField(schema: z.ZodType, path: readonly string[]): boolean {
  if (path.length === 0) return true;
  const s = unwrap(schema) as z.ZodType & { _zod: { def: { type: string; shape?: Record<string, z.ZodType>; options?: z.ZodType[]; element?: z.ZodType } } };
  const def = s._zod.def;
  if (def.type === 'object') {
    const field = def.shape![path[0]!];
    return field !== undefined && hasField(field, path.slice(1));
  }
  if (def.type === 'union') return def.options!.some((o) => hasField(o, path));
  if (def.type === 'array') return hasField(def.element!, path);
  return false;
}

/** The problem with one library option of a reached type, or null when the spec reaches it. */
function gap(option: string, entry: Reached): string | null {
  if (EVERYWHERE.notInSpec[option] || entry.notInSpec?.[option]) return null;
  const candidates = entry.renamed?.[option] ? [entry.renamed[option]] : [option, ...(EVERYWHERE.renamed[option] ?? [])];
  const found = entry.handlers.some((h) => candidates.some((c) => hasField(handlers.get(h)!.options, c.split('.'))));
  return found ? null : `no spec field ${candidates.map((c) => `'${c}'`).join(' or ')} in ${entry.handlers.join(', ')}`;
}

describe('option coverage: the spec reaches every public estimator option', () => {
  it('finds the option types and estimators it checks (the compiler read the packages)', () => {
    expect(library.optionTypes.get('did:EventStudyOptions')).toEqual(expect.arrayContaining(['outcome', 'window', 'ref', 'cluster', 'simultaneous']));
    expect(library.frameFunctions).toEqual(expect.arrayContaining(['did:eventStudy', 'did:psmDid', 'resample:placeboTest']));
  });

  it('places every exported option type, and only those', () => {
    const unplaced = [...library.optionTypes.keys()].filter((k) => !(k in COVERAGE));
    expect(unplaced, 'add these option types to test/option-coverage/registry.ts COVERAGE').toEqual([]);
    const stale = Object.keys(COVERAGE).filter((k) => !library.optionTypes.has(k));
    expect(stale, 'no longer exported: remove from COVERAGE').toEqual([]);
  });

  it('reaches every option of every estimator option type from a spec field (or says why not)', () => {
    const gaps: string[] = [];
    for (const [key, entry] of Object.entries(COVERAGE)) {
      if ('internal' in entry) {
        expect(entry.internal.length, `${key}: give the reason`).toBeGreaterThan(10);
        continue;
      }
      for (const h of entry.handlers) expect(handlers.has(h), `${key}: no handler '${h}'`).toBe(true);
      const options = library.optionTypes.get(key) ?? [];
      for (const option of options) {
        const problem = gap(option, entry);
        if (problem) gaps.push(`${key}.${option}: ${problem}`);
      }
      // entries about options the type no longer has are stale
      for (const named of [...Object.keys(entry.renamed ?? {}), ...Object.keys(entry.notInSpec ?? {})]) {
        if (!options.includes(named)) gaps.push(`${key}.${named}: not an option of the library type any more (remove it from the registry)`);
      }
    }
    expect(gaps, 'library options the spec does not reach').toEqual([]);
  });

  it('has a handler for every exported estimator', () => {
    const missing: string[] = [];
    for (const fn of library.frameFunctions) {
      const placed = ESTIMATORS[fn];
      if (placed === undefined) missing.push(`${fn}: not in ESTIMATORS (give its handler, or why it is a building block)`);
      else if (typeof placed === 'string' && !handlers.has(placed)) missing.push(`${fn}: handler '${placed}' does not exist`);
    }
    for (const [fn, placed] of Object.entries(ESTIMATORS)) if (typeof placed === 'string' && !handlers.has(placed)) missing.push(`${fn}: handler '${placed}' does not exist`);
    expect(missing).toEqual([]);
  });
});
