import type { ReportInput } from './blocks.js';

/** Figure and table numbers in reading order, looked up by block id. */
export interface Numbering {
  figure(id: string): number;
  table(id: string): number;
}

export function numberBlocks(input: ReportInput): Numbering {
  const figures = new Map<string, number>();
  const tables = new Map<string, number>();
  for (const s of input.sections) {
    for (const b of s.blocks) {
      if (b.kind === 'figure') figures.set(b.id, figures.size + 1);
      else if (b.kind === 'table' || b.kind === 'comparison') tables.set(b.id, tables.size + 1);
    }
  }
  const get = (map: Map<string, number>, id: string, what: string): number => {
    const n = map.get(id);
    if (n === undefined) throw new Error(`unknown ${what} id '${id}'`);
    return n;
  };
  return { figure: (id) => get(figures, id, 'figure'), table: (id) => get(tables, id, 'table') };
}
