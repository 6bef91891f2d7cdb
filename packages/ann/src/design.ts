import type { PanelFrame } from '@panel-lab/panel';

/**
 * Inputs of every procedure here: a column-major n×p design (column j occupies x[j*n .. j*n+n)),
 * an optional target and optional group codes (cities) for grouped splits and cluster bootstraps.
 */
export interface Design {
  readonly n: number;
  readonly names: readonly string[];
  /** Column-major n×p, no missing values. */
  readonly x: Float64Array;
  readonly y?: Float64Array;
  /** Group (city) code per row, 0..nGroups-1. */
  readonly groups?: Int32Array;
  /** Rows of the source frame dropped because an input, the target or the group was missing. */
  readonly droppedRows: number;
  /** Source-frame row of each design row (designFromFrame), to line up frame columns such as subgroups. */
  readonly sourceRows?: Int32Array;
}

export function columnOf(d: Design, name: string): Float64Array {
  const j = d.names.indexOf(name);
  if (j < 0) throw new Error(`column '${name}' is not among the inputs: ${d.names.join(', ')}`);
  return d.x.subarray(j * d.n, (j + 1) * d.n);
}

/** Validates a hand-built design (sizes, finiteness) and freezes it. */
export function makeDesign(args: { x: Float64Array; n: number; names: readonly string[]; y?: Float64Array; groups?: Int32Array }): Design {
  const p = args.names.length;
  if (args.x.length !== args.n * p) throw new Error(`design x has ${args.x.length} values, expected n*p = ${args.n}*${p}`);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < args.n; i++) {
      if (!Number.isFinite(args.x[j * args.n + i]!)) throw new Error(`design column '${args.names[j]}' row ${i} is not finite`);
    }
  }
  if (args.y) {
    if (args.y.length !== args.n) throw new Error(`target has ${args.y.length} values, expected ${args.n}`);
    args.y.forEach((v, i) => { if (!Number.isFinite(v)) throw new Error(`target row ${i} is not finite`); });
  }
  if (args.groups && args.groups.length !== args.n) throw new Error(`groups has ${args.groups.length} values, expected ${args.n}`);
  return Object.freeze({ ...args, names: Object.freeze([...args.names]), droppedRows: 0 });
}

/** Builds a design from a PanelFrame; rows with any missing input, target or group are dropped and counted. */
export function designFromFrame(
  frame: PanelFrame,
  opts: { inputs: readonly string[]; target?: string; group?: string | null },
): Design {
  const cols = opts.inputs.map((name) => frame.numeric(name));
  const target = opts.target === undefined ? undefined : frame.numeric(opts.target);
  const groupName = opts.group === undefined ? frame.schema.unit : opts.group;
  const codes = groupName === null ? undefined : frame.codes(groupName).codes;
  const nAll = frame.table.numRows;
  const keep: number[] = [];
  for (let i = 0; i < nAll; i++) {
    let ok = target === undefined || !Number.isNaN(target[i]!);
    for (const c of cols) if (Number.isNaN(c[i]!)) ok = false;
    if (codes && codes[i]! < 0) ok = false;
    if (ok) keep.push(i);
  }
  const n = keep.length;
  if (n === 0) throw new Error(`no complete rows for inputs ${opts.inputs.join(', ')}${opts.target ? ` and target '${opts.target}'` : ''}`);
  const x = new Float64Array(n * cols.length);
  cols.forEach((c, j) => keep.forEach((src, i) => { x[j * n + i] = c[src]!; }));
  const y = target ? Float64Array.from(keep, (src) => target[src]!) : undefined;
  let groups: Int32Array | undefined;
  if (codes) {
    // Recode to 0..G-1 over the kept rows so group counts are exact.
    const remap = new Map<number, number>();
    groups = Int32Array.from(keep, (src) => {
      const c = codes[src]!;
      let g = remap.get(c);
      if (g === undefined) { g = remap.size; remap.set(c, g); }
      return g;
    });
  }
  return Object.freeze({
    n, names: Object.freeze([...opts.inputs]), x,
    ...(y ? { y } : {}), ...(groups ? { groups } : {}),
    droppedRows: nAll - n, sourceRows: Int32Array.from(keep),
  });
}

/**
 * Subgroup labels for the design's rows from a frame column (e.g. city_size_class, admin_rank); numeric
 * columns are mapped by `label` (e.g. digital_pilot_year > 0 → 'pilot'). Missing labels throw, naming the row.
 */
export function subgroupFromFrame(
  frame: PanelFrame, design: Design, column: string, label?: (value: number) => string,
): { variable: string; labels: string[] } {
  if (!design.sourceRows) throw new Error('subgroupFromFrame needs a design built by designFromFrame');
  const field = frame.table.schema.fields.find((f) => f.name === column);
  if (!field) throw new Error(`subgroup column '${column}' not found`);
  let values: (string | null)[];
  if (label) {
    const num = frame.numeric(column);
    values = Array.from(design.sourceRows, (r) => (Number.isNaN(num[r]!) ? null : label(num[r]!)));
  } else {
    const { codes, levels } = frame.codes(column);
    values = Array.from(design.sourceRows, (r) => (codes[r]! < 0 ? null : levels[codes[r]!]!));
  }
  const bad = values.indexOf(null);
  if (bad >= 0) throw new Error(`subgroup column '${column}' is missing at frame row ${design.sourceRows[bad]}`);
  return { variable: column, labels: values as string[] };
}

/** Row-major copy of selected rows (all columns), as the trainers want it. */
export function rowMajor(d: Design, rows?: ArrayLike<number>): Float64Array {
  const p = d.names.length;
  const idx = rows ?? Int32Array.from({ length: d.n }, (_, i) => i);
  const out = new Float64Array(idx.length * p);
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r]!;
    for (let j = 0; j < p; j++) out[r * p + j] = d.x[j * d.n + i]!;
  }
  return out;
}

export function nGroups(groups: Int32Array): number {
  let g = 0;
  for (const c of groups) if (c + 1 > g) g = c + 1;
  return g;
}
