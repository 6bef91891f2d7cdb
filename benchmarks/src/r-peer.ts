// Same-run timing of an R reference peer (issue 16, item 5). R is optional: CI has none, so a missing
// RPEERS_LIB or Rscript gives null and the case records "R side: skipped". Each script in benchmarks/r/
// reads key=value arguments, times its work after one warm-up, and prints one line `RPEER_JSON {...}`.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RPeerResult {
  /** Warm repetitions timed inside R (after one warm-up), wall seconds each. */
  seconds: number[];
  /** Numbers to check that R and we computed the same thing. */
  estimate?: Record<string, number>;
  /** e.g. { fixest: "0.14.2", R: "4.2.2" } */
  version: Record<string, string>;
  threads?: number;
  /** R process peak RSS (VmHWM), when the script reports it. */
  peakRssMiB?: number;
}

export const R_SKIPPED_NOTE = 'R side: skipped, RPEERS_LIB unset';
const MARKER = 'RPEER_JSON ';
const rDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'r');

/** The folder of the R scripts (benchmarks/r). */
export function rScriptPath(script: string): string {
  return isAbsolute(script) ? script : join(rDir, script.replace(/^r\//, ''));
}

function findRscript(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'Rscript');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this PATH entry: the next one is tried (absence of R is an expected state, reported by the caller)
    }
  }
  return null;
}

/** Why the R side cannot run here, or null when it can. */
export function rPeerUnavailable(): string | null {
  if (!process.env.RPEERS_LIB) return R_SKIPPED_NOTE;
  if (!findRscript()) return 'R side: skipped, Rscript not found on PATH';
  return null;
}

/** Parses the one `RPEER_JSON` line of an R script's stdout; throws naming the script when it is absent or malformed. */
export function parseRPeerOutput(stdout: string, script: string): RPeerResult {
  const line = stdout.split('\n').reverse().find((l) => l.startsWith(MARKER));
  if (!line) throw new Error(`R peer ${script} printed no '${MARKER.trim()}' line; stdout tail: ${stdout.slice(-400)}`);
  const parsed = JSON.parse(line.slice(MARKER.length)) as Partial<RPeerResult>;
  if (!Array.isArray(parsed.seconds) || parsed.seconds.length === 0 || !parsed.seconds.every((s) => typeof s === 'number' && Number.isFinite(s))) {
    throw new Error(`R peer ${script}: 'seconds' must be a non-empty array of finite numbers, got ${JSON.stringify(parsed.seconds)}`);
  }
  if (typeof parsed.version !== 'object' || parsed.version === null) throw new Error(`R peer ${script}: 'version' missing`);
  return parsed as RPeerResult;
}

/**
 * Times an R peer in the same run. Returns null (the case records `R_SKIPPED_NOTE`) when
 * RPEERS_LIB is unset or Rscript is missing. Any other failure (script error, timeout, bad output) throws.
 */
export async function runRPeer(script: string, args: Record<string, string | number>, options: { timeoutMs?: number } = {}): Promise<RPeerResult | null> {
  if (rPeerUnavailable()) return null;
  const path = rScriptPath(script);
  const argv = [path, ...Object.entries(args).map(([k, v]) => `${k}=${v}`)];
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const env = { ...process.env, R_LIBS: process.env.RPEERS_LIB, R_LIBS_USER: process.env.RPEERS_LIB };
  return new Promise((resolve, reject) => {
    const child = spawn(findRscript()!, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`R peer ${script} could not start: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`R peer ${script} failed (exit ${code}${signal ? `, signal ${signal}` : ''}${signal === 'SIGKILL' ? `, timeout ${timeoutMs} ms` : ''}): ${stderr.slice(-1500)}`));
        return;
      }
      try {
        resolve(parseRPeerOutput(stdout, script));
      } catch (e) {
        reject(e);
      }
    });
  });
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Largest absolute and relative differences between the R estimates and ours over the keys both have. */
export function estimateMatch(r: Record<string, number> | undefined, ours: Record<string, number>): { max_abs: number; max_rel: number; keys: number } {
  let maxAbs = 0;
  let maxRel = 0;
  let keys = 0;
  for (const [k, v] of Object.entries(ours)) {
    const rv = r?.[k];
    if (typeof rv !== 'number') continue;
    keys++;
    const d = Math.abs(rv - v);
    maxAbs = Math.max(maxAbs, d);
    maxRel = Math.max(maxRel, d / Math.max(Math.abs(rv), 1e-300));
  }
  return { max_abs: maxAbs, max_rel: maxRel, keys };
}

/**
 * The facts a case records about its R peer (contract: R median seconds, `vs_r_<pkg>` = R median / our
 * median, estimate match, R threads). `ratioFloor` makes it a checked ratio; without it, it is informational
 * (floor 0). With no R, only the skipped note.
 */
export function rPeerFacts(
  pkg: string,
  r: RPeerResult | null,
  ours: { medianS: number; estimate?: Record<string, number> },
  opts: { ratioFloor?: number; skipReason?: string } = {},
): Record<string, unknown> {
  if (!r) return { r_side: opts.skipReason ?? rPeerUnavailable() ?? R_SKIPPED_NOTE };
  const rMedian = median(r.seconds);
  const match = ours.estimate ? estimateMatch(r.estimate, ours.estimate) : null;
  const key = `vs_r_${pkg.replace(/[^A-Za-z0-9]+/g, '_')}`;
  return {
    [`r_${pkg}_median_s`]: rMedian,
    r_seconds: r.seconds,
    r_version: r.version,
    r_threads: r.threads ?? null,
    // all the R script reported (e.g. its p-value and CI, which depend on its own draws)
    ...(r.estimate ? { r_estimate: r.estimate } : {}),
    ...(r.peakRssMiB !== undefined ? { r_peak_rss_mib: r.peakRssMiB } : {}),
    ...(match ? { r_estimate_match: match } : {}),
    ratios: { [key]: { value: rMedian / ours.medianS, floor: opts.ratioFloor ?? 0, description: `R ${pkg} ${r.version[pkg] ?? ''} median s / Panel Lab median s, same run` } },
  };
}

/**
 * Writes columns as a CSV in a fresh temp folder for an R peer to read (numbers in shortest round-trip
 * form, so fread reads the same doubles); returns its path. Call it only when the R side runs.
 */
export function writePeerCsv(name: string, columns: Record<string, ArrayLike<number> | readonly string[]>): string {
  const names = Object.keys(columns);
  const cols = names.map((k) => columns[k]!);
  const n = cols[0]?.length ?? 0;
  if (cols.some((c) => c.length !== n)) throw new Error(`writePeerCsv ${name}: columns differ in length`);
  const path = join(mkdtempSync(join(tmpdir(), 'panel-lab-rpeer-')), `${name}.csv`);
  const parts: string[] = [names.join(',')];
  for (let i = 0; i < n; i++) parts.push(cols.map((c) => String(c[i])).join(','));
  writeFileSync(path, `${parts.join('\n')}\n`);
  return path;
}
