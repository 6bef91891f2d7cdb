// feols with absorbed fixed effects (issues 4 and 16): TWFE on a balanced and an unbalanced N x T
// panel, three FE with an interacted one (id + t + region^t, 5 covariates), three crossed
// high-cardinality FE (fixest's own benchmark DGP) and the "difficult" worker-firm design of the
// fixest / pyfixest benchmarks (sparse, weakly connected firm graph), plus peak memory at 1M x 10.
// With RPEERS_LIB set, R fixest runs the same model on the same file in the same run
// (benchmarks/r/feols.R, nthreads 1 and 2) and the case records the ratios R / ours and whether the
// coefficients matched. Every timed run wraps the same Arrow table in a fresh frame (no copy: the
// data.table fixest is handed) and factorizes its FE inside the timing, as fixest does on each call:
// the per-frame caches (FE codes, the prepared FE structure) then help no run after the first, so
// repeated runs time what one new model costs.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@panel-lab/compute';
import { PanelFrame } from '@panel-lab/panel';
import { feols, type FeolsResult } from '@panel-lab/regression';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';
import { median, rPeerFacts, rPeerUnavailable, runRPeer, type RPeerResult } from '../r-peer.js';

type Columns = Record<string, Float64Array>;

/** Staggered adoption: a third of units never treated, the rest from a random period on; true effect 0.1. */
export function twfePanel(units: number, periods: number, dropShare: number, seed: number): Columns {
  const rng = createRng(seed);
  const cap = units * periods;
  const id = new Float64Array(cap);
  const t = new Float64Array(cap);
  const d = new Float64Array(cap);
  const y = new Float64Array(cap);
  let n = 0;
  for (let i = 0; i < units; i++) {
    const alpha = rng.normal();
    const start = rng.uniform() < 1 / 3 ? Infinity : rng.int(1, periods - 1);
    for (let s = 0; s < periods; s++) {
      if (dropShare > 0 && rng.uniform() < dropShare) continue;
      const treated = s >= start ? 1 : 0;
      id[n] = i;
      t[n] = s;
      d[n] = treated;
      y[n] = 0.1 * treated + alpha + 0.05 * s + rng.normal();
      n++;
    }
  }
  return { id: id.slice(0, n), t: t.slice(0, n), d: d.slice(0, n), y: y.slice(0, n) };
}

/** Balanced N x T panel, each unit in one of `regions` regions, region-by-year shocks, 5 covariates correlated with the FE. */
export function regionYearPanel(units: number, periods: number, regions: number, seed: number): Columns {
  const rng = createRng(seed);
  const n = units * periods;
  const cols: Columns = { id: new Float64Array(n), t: new Float64Array(n), region: new Float64Array(n), y: new Float64Array(n) };
  const xs = Array.from({ length: 5 }, (_, j) => (cols[`x${j + 1}`] = new Float64Array(n)));
  const shock = Array.from({ length: regions * periods }, () => rng.normal());
  const beta = [0.5, -0.3, 0.2, 0.1, -0.05];
  for (let i = 0, r = 0; i < units; i++) {
    const alpha = rng.normal();
    const region = rng.int(0, regions - 1);
    for (let s = 0; s < periods; s++, r++) {
      cols.id![r] = i;
      cols.t![r] = s;
      cols.region![r] = region;
      const rs = shock[region * periods + s]!;
      let y = alpha + rs + 0.02 * s + rng.normal();
      for (let j = 0; j < 5; j++) {
        const x = rng.normal() + 0.3 * alpha + 0.2 * rs;
        xs[j]![r] = x;
        y += beta[j]! * x;
      }
      cols.y![r] = y;
    }
  }
  return cols;
}

/** fixest's benchmark DGP (basic_dgp, OLS on a normal outcome): three FE drawn independently, n/20, √n and n^0.33 levels. */
export function crossedPanel(n: number, seed: number): Columns {
  const rng = createRng(seed);
  const sizes = [Math.floor(n / 20), Math.floor(Math.sqrt(n)), Math.floor(n ** 0.33)];
  const coef = sizes.map((g) => Array.from({ length: g }, () => rng.normal()));
  const cols: Columns = { x1: new Float64Array(n), x2: new Float64Array(n), y: new Float64Array(n), dum_1: new Float64Array(n), dum_2: new Float64Array(n), dum_3: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const x1 = rng.normal();
    let y = x1 + 0.05 * x1 * x1 + rng.normal();
    for (let q = 0; q < 3; q++) {
      const l = rng.int(0, sizes[q]! - 1);
      cols[`dum_${q + 1}`]![i] = l;
      y += coef[q]![l]!;
    }
    cols.x1![i] = x1;
    cols.x2![i] = x1 * x1;
    cols.y![i] = y;
  }
  return cols;
}

/**
 * The fixest / pyfixest benchmarks' worker-firm DGP (base_dgp): workers observed `years` years,
 * n / years / perFirm firms. 'difficult' assigns firms in a rolling cycle over the rows (each worker
 * moves through consecutive firms: a long, thin firm graph); 'simple' draws firms at random.
 */
export function workerFirmPanel(n: number, type: 'simple' | 'difficult', seed: number, years = 10, perFirm = 23): Columns {
  const rng = createRng(seed);
  const workers = Math.round(n / years);
  const firms = Math.round(workers / perFirm);
  const firmFe = Array.from({ length: firms }, () => rng.normal());
  const workerFe = Array.from({ length: workers }, () => rng.normal());
  const yearFe = Array.from({ length: years }, () => rng.normal());
  const cols: Columns = { indiv_id: new Float64Array(n), firm_id: new Float64Array(n), year: new Float64Array(n), x1: new Float64Array(n), x2: new Float64Array(n), y: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const w = Math.min(Math.floor(i / years), workers - 1);
    const yr = i % years;
    const f = type === 'difficult' ? i % firms : rng.int(0, firms - 1);
    const x1 = rng.normal();
    cols.indiv_id![i] = w;
    cols.year![i] = yr;
    cols.firm_id![i] = f;
    cols.x1![i] = x1;
    cols.x2![i] = x1 * x1;
    cols.y![i] = firmFe[f]! + workerFe[w]! + yearFe[yr]! + x1 + 0.05 * x1 * x1 + rng.normal();
  }
  return cols;
}

/** CSV for the R side (both sides read the same numbers; integers print exactly, reals round-trip with 17 digits). */
async function writeCsv(path: string, cols: Columns): Promise<void> {
  const names = Object.keys(cols);
  const arrays = names.map((k) => cols[k]!);
  const n = arrays[0]!.length;
  const out = createWriteStream(path);
  const write = (s: string) => new Promise<void>((resolve, reject) => (out.write(s, (e) => (e ? reject(e) : resolve()))));
  await write(`${names.join(',')}\n`);
  const chunk = 20_000;
  for (let s = 0; s < n; s += chunk) {
    const lines: string[] = [];
    for (let i = s; i < Math.min(n, s + chunk); i++) lines.push(arrays.map((a) => (Number.isInteger(a[i]!) ? String(a[i]!) : a[i]!.toPrecision(17))).join(','));
    await write(`${lines.join('\n')}\n`);
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

interface FeCase {
  label: string;
  formula: string;
  /** FE and categorical columns (codes built in setup). */
  categorical: string[];
  vcov: 'iid' | { cluster: string };
  make: () => Columns;
  rows: number;
  /** ≥ fixest 1-thread is the target everywhere; ≥ 2 threads on the common designs. */
  common: boolean;
  params: Record<string, number | string>;
}

interface Prepared {
  frame: PanelFrame;
  factorizeMs: number;
  r: RPeerResult | null;
  rError: string | null;
  times: number[];
  cpu: number[];
}

const R_REPS = 3;

/** The case on `threads` threads (ours: feols's threads option; fixest: nthreads), R in the same run. */
function feCase(c: FeCase, threads: number): BenchCase {
  return {
    name: `feols ${c.formula} (${c.label})${threads > 1 ? `, ${threads} threads` : ''}`,
    params: { rows: c.rows, ...c.params, threads },
    backend: 'cpu-f64',
    setup: async (): Promise<Prepared> => {
      const cols = c.make();
      const frame = PanelFrame.fromColumns(cols, { unit: c.categorical[0]!, time: c.categorical[1]! });
      const t0 = performance.now();
      for (const name of c.categorical) frame.codes(name);
      const factorizeMs = performance.now() - t0;
      let r: RPeerResult | null = null;
      let rError: string | null = null;
      if (!rPeerUnavailable()) {
        const dir = mkdtempSync(join(tmpdir(), 'panel-lab-fe-'));
        try {
          const file = join(dir, 'data.csv');
          await writeCsv(file, cols);
          const args = { file, fml: c.formula, vcov: c.vcov === 'iid' ? 'iid' : `cluster:${c.vcov.cluster}`, reps: R_REPS };
          r = await runRPeer('feols.R', { ...args, threads });
        } catch (e) {
          // recorded in the case's notes; the Panel Lab side still runs
          rError = e instanceof Error ? e.message : String(e);
          process.stderr.write(`fe-regression: R side failed for ${c.label}: ${rError}\n`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      return { frame, factorizeMs, r, rError, times: [], cpu: [] };
    },
    run: (prepared) => {
      const p = prepared as Prepared;
      const cpu0 = process.cpuUsage();
      const wall0 = performance.now();
      const frame = PanelFrame.fromTable(p.frame.table, p.frame.schema);
      const res = feols(c.formula, frame, { vcov: c.vcov, threads });
      const wallS = (performance.now() - wall0) / 1000;
      p.times.push(wallS);
      const cpu = process.cpuUsage(cpu0);
      const cpuS = (cpu.user + cpu.system) / 1e6;
      p.cpu.push(cpuS);
      const load = loadavg()[0]!;
      // the harness's first run is a warm-up: the ratio uses the runs after it
      const ours = median(p.times.length > 1 ? p.times.slice(1) : p.times);
      const oursCpu = median(p.cpu.length > 1 ? p.cpu.slice(1) : p.cpu);
      const estimate = estimates(res);
      const facts = rPeerFacts('fixest', p.r, { medianS: ours, estimate }, { ratioFloor: 0 });
      const ratios: Record<string, unknown> = {};
      const wall = (facts.ratios as Record<string, unknown> | undefined)?.vs_r_fixest;
      if (wall) ratios[threads > 1 ? `vs_r_fixest_${threads}_threads` : 'vs_r_fixest'] = wall;
      // CPU seconds (this process's user + sys, helper and GC threads included) against fixest's CPU seconds per call
      const rCpu = p.r?.estimate?.r_cpu_s_per_call;
      if (typeof rCpu === 'number') ratios.vs_r_fixest_cpu = { value: rCpu / oursCpu, floor: 0, description: `R fixest CPU s per call (${threads} thread${threads > 1 ? 's' : ''}) / Panel Lab CPU s, same run: steadier than wall time on a loaded machine` };
      const rNote = p.r
        ? `fixest ${threads} thread${threads > 1 ? 's' : ''} ${median(p.r.seconds).toFixed(3)} s${typeof rCpu === 'number' ? ` (CPU ${rCpu.toFixed(3)} s; ours ${oursCpu.toFixed(3)} s)` : ''}, coefficients match to ${(facts.r_estimate_match as { max_rel: number }).max_rel.toExponential(1)} rel`
        : (p.rError ?? (facts.r_side as string));
      return {
        nobs: res.nobs,
        coef: res.coefficients,
        demean_method: res.meta.demeanMethod,
        iterations: res.meta.iterations,
        converged: res.meta.converged,
        timings_ms: res.meta.timings,
        cpu_s: cpuS,
        cpu_s_median: oursCpu,
        panel_factorize_ms_once: p.factorizeMs,
        ...facts,
        ...(Object.keys(ratios).length ? { ratios } : {}),
        target: `>= fixest ${threads} thread${threads > 1 ? 's' : ''}`,
        loadavg_1m: load,
        note: `${res.meta.demeanMethod} (${res.meta.iterations} it); ${rNote}; last run wall ${wallS.toFixed(3)} s, CPU ${cpuS.toFixed(3)} s, 1-min load ${load.toFixed(1)} on 2 cores (shared machine)`,
      };
    },
  };
}

function estimates(res: FeolsResult): Record<string, number> {
  return Object.fromEntries(res.coefNames.map((name, j) => [name, res.coefficients[j]!]));
}

/**
 * Peak memory of one feols in a fresh process (this one's peak holds every earlier case): ours in a
 * child Node process that generates the panel and fits it, fixest in R on the same panel from CSV.
 */
function memoryCase(units: number, periods: number): BenchCase {
  const formula = 'y ~ d | id + t';
  return {
    name: `peak memory: feols ${formula}, CR1 by id (${units} x ${periods})`,
    params: { units, periods, rows: units * periods },
    backend: 'cpu-f64',
    setup: async () => {
      let r: RPeerResult | null = null;
      let rError: string | null = null;
      if (!rPeerUnavailable()) {
        const dir = mkdtempSync(join(tmpdir(), 'panel-lab-fe-mem-'));
        try {
          const file = join(dir, 'data.csv');
          await writeCsv(file, twfePanel(units, periods, 0, 20261123));
          r = await runRPeer('feols.R', { file, fml: formula, vcov: 'cluster:id', reps: 1, threads: 1 });
        } catch (e) {
          rError = e instanceof Error ? e.message : String(e);
          process.stderr.write(`fe-regression: R side failed for the memory case: ${rError}\n`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      return { r, rError };
    },
    run: (prepared) => {
      const { r, rError } = prepared as { r: RPeerResult | null; rError: string | null };
      const child = fileURLToPath(new URL('../fixtures/fe-memory-child.ts', import.meta.url));
      const out = execFileSync(process.execPath, ['--import', 'tsx', '--conditions=@panel-lab/source', child, String(units), String(periods)], { encoding: 'utf8', maxBuffer: 1 << 20 });
      const line = out.trim().split('\n').pop()!;
      const ours = JSON.parse(line) as { peak_rss_bytes: number; data_rss_bytes: number; nobs: number; coef: number; seconds: number };
      const oursMiB = ours.peak_rss_bytes / 2 ** 20;
      const load = loadavg()[0]!;
      return {
        ...ours,
        peak_rss_bytes: ours.peak_rss_bytes,
        ...(r ? { r_fixest_peak_rss_mib: r.peakRssMiB ?? null, r_version: r.version, r_estimate: r.estimate ?? null } : { r_side: rError ?? rPeerUnavailable() }),
        ...(r?.peakRssMiB ? { ratios: { fixest_peak_over_ours: { value: r.peakRssMiB / oursMiB, floor: 0, description: 'R fixest peak RSS / Panel Lab peak RSS (whole process: data + fit), higher = we use less' } } } : {}),
        loadavg_1m: load,
        note: `ours ${oursMiB.toFixed(0)} MiB peak (data alone ${(ours.data_rss_bytes / 2 ** 20).toFixed(0)} MiB)${r?.peakRssMiB ? `, fixest ${r.peakRssMiB.toFixed(0)} MiB (R process after fread + feols)` : ''}; fit ${ours.seconds.toFixed(2)} s`,
      };
    },
  };
}

const TWFE: Record<Scale, { units: number; periods: number }> = {
  quick: { units: 2_000, periods: 20 },
  seed: { units: 286, periods: 9 },
  large: { units: 100_000, periods: 20 },
};

export const suite: BenchSuite = {
  name: 'fe-regression',
  description:
    'feols with absorbed FE, float64 on the CPU (1 thread; 2 threads on the common designs), data in memory: TWFE y ~ d | id + t (CR1 by id) balanced and 10% rows dropped; 5 covariates | id + t + region^t; fixest\'s 3 crossed FE benchmark DGP; the fixest/pyfixest "difficult" worker-firm DGP (and its "simple" twin); peak memory at 1M x 10. R fixest (same file, same run, same nthreads) when RPEERS_LIB is set.',
  cases(scale: Scale): BenchCase[] {
    const { units, periods } = TWFE[scale];
    const big = scale === 'large';
    const wf = big ? 1_000_000 : scale === 'quick' ? 100_000 : 10_000;
    const twfe = (label: string, drop: number): FeCase => ({
      label,
      formula: 'y ~ d | id + t',
      categorical: ['id', 't'],
      vcov: { cluster: 'id' },
      make: () => twfePanel(units, periods, drop, 20261123),
      rows: Math.round(units * periods * (1 - drop)),
      common: true,
      params: { units, periods, drop_share: drop },
    });
    const regions = 30;
    const cases: FeCase[] = [
      twfe('balanced', 0),
      twfe('unbalanced, 10% rows dropped', 0.1),
      {
        label: `${units} x ${periods}, ${regions} regions`,
        formula: 'y ~ x1 + x2 + x3 + x4 + x5 | id + t + region^t',
        categorical: ['id', 't', 'region'],
        vcov: { cluster: 'id' },
        make: () => regionYearPanel(units, periods, regions, 20261124),
        rows: units * periods,
        common: true,
        params: { units, periods, regions },
      },
      {
        label: `fixest benchmark DGP, ${wf} rows`,
        formula: 'y ~ x1 + x2 | dum_1 + dum_2 + dum_3',
        categorical: ['dum_1', 'dum_2', 'dum_3'],
        vcov: 'iid',
        make: () => crossedPanel(wf, 20261125),
        rows: wf,
        common: true,
        params: { fe_levels: `${Math.floor(wf / 20)}/${Math.floor(Math.sqrt(wf))}/${Math.floor(wf ** 0.33)}` },
      },
      ...(['simple', 'difficult'] as const).map(
        (type): FeCase => ({
          label: `worker-firm "${type}" DGP, ${wf} rows`,
          formula: 'y ~ x1 + x2 | indiv_id + firm_id + year',
          categorical: ['indiv_id', 'firm_id', 'year'],
          vcov: 'iid',
          make: () => workerFirmPanel(wf, type, 20261126),
          rows: wf,
          common: type === 'simple',
          params: { dgp: type, years: 10, workers_per_firm: 23 },
        }),
      ),
    ];
    // ≥ fixest 1 thread is the target everywhere, ≥ 2 threads on the common designs
    const all = cases.flatMap((c) => (c.common ? [feCase(c, 1), feCase(c, 2)] : [feCase(c, 1)]));
    if (big) all.push(memoryCase(1_000_000, 10));
    return all;
  },
};
