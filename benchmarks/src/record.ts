import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { machineFacts, type MachineFacts, type Scale } from './harness.js';
import { checkReport, suiteMarkdown, type SuiteReport } from './report.js';

/**
 * Turns a suite child's stdout (its JSON on the last line) into the recorded report: writes
 * <outDir>/<suite>.<scale>.json and .md and prints each case's median.
 */
export function recordSuite(stdout: string, at: { name: string; scale: Scale; kind: string; machine: MachineFacts; outDir: string }): SuiteReport {
  const last = stdout.trim().split('\n').pop() ?? '';
  const parsed = JSON.parse(last) as Omit<SuiteReport, 'scale' | 'machine_kind' | 'machine' | 'recorded_at'>;
  const report: SuiteReport = { ...parsed, scale: at.scale, machine_kind: at.kind, machine: at.machine, recorded_at: new Date().toISOString() };
  writeFileSync(join(at.outDir, `${at.name}.${at.scale}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(at.outDir, `${at.name}.${at.scale}.md`), suiteMarkdown(report));
  for (const r of report.results) console.log(`  ${r.name}: median ${r.median_s.toFixed(4)} s on ${r.backend}`);
  return report;
}

export interface SuiteRunOptions {
  readonly suites: readonly string[];
  readonly scale: Scale;
  /** Results go to <out>/<machine kind>/. */
  readonly out: string;
  readonly machineKind?: string;
  readonly runs?: string;
  readonly warmup?: string;
  /** Exit 1 on any problem (a failed suite, a ratio under its floor, a wrong backend). */
  readonly check: boolean;
  /** Exit 1 when a suite's process fails, even without check. */
  readonly exitOnFailedSuite?: boolean;
  /** The node arguments that measure one suite and print its JSON on the last stdout line. */
  readonly childArgs: (suite: string, run: { scale: Scale; warmup: string; runs: string }) => string[];
}

/**
 * Runs each suite in its own child process (peak RSS per suite), records its report and checks it:
 * the parent loop shared by the runner (cli.ts) and the GPU bundle entry (bundle-entry.ts).
 */
export function runSuites(o: SuiteRunOptions): void {
  const machine = machineFacts(process.env.PANEL_LAB_GPU_ADAPTER ?? null);
  const kind = o.machineKind ?? process.env.PANEL_LAB_MACHINE_KIND ?? `cpu-${machine.cores}core`;
  const outDir = resolve(o.out, kind);
  mkdirSync(outDir, { recursive: true });
  const run = { scale: o.scale, runs: o.runs ?? (o.scale === 'large' ? '3' : '5'), warmup: o.warmup ?? '1' };
  const problems: string[] = [];
  let failedSuite = false;
  for (const name of o.suites) {
    console.log(`suite ${name} (${o.scale})`);
    const child = spawnSync(process.execPath, o.childArgs(name, run), {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 2 ** 20,
    });
    if (child.status !== 0) {
      failedSuite = true;
      problems.push(`suite ${name} failed (exit ${child.status}${child.signal ? `, signal ${child.signal}` : ''})`);
      continue;
    }
    problems.push(...checkReport(recordSuite(child.stdout, { name, scale: o.scale, kind, machine, outDir })));
  }
  console.log(`results in ${outDir}`);
  if (problems.length) {
    console.error(`benchmark problems:\n- ${problems.join('\n- ')}`);
    if (o.check || (o.exitOnFailedSuite && failedSuite)) process.exit(1);
  }
}
