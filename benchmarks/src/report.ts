import type { CaseResult, MachineFacts, Scale } from './harness.js';
import { measuredPeaks, rooflineCell } from './roofline/report.js';

export interface SuiteReport {
  suite: string;
  description: string;
  scale: Scale;
  machine_kind: string;
  machine: MachineFacts;
  recorded_at: string;
  results: CaseResult[];
}

/** Ratio checks a case may return in `extra.ratios`: same-run comparisons with a floor. */
export interface RatioCheck {
  value: number;
  floor: number;
  description?: string;
}

/** Ceilings a case may return in `extra.ceilings` (memory: far less noisy than time, so CI enforces it). */
export interface CeilingCheck {
  value: number;
  ceiling: number;
}

const fmtS = (s: number) => (s < 0.01 ? `${(s * 1000).toFixed(2)} ms` : s < 10 ? `${s.toFixed(3)} s` : `${s.toFixed(1)} s`);
const fmtMiB = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

export function suiteMarkdown(report: SuiteReport): string {
  const m = report.machine;
  const lines = [
    `# ${report.suite} (${report.scale})`,
    '',
    report.description,
    '',
    `Machine kind \`${report.machine_kind}\`: ${m.cpu_model}, ${m.cores} cores, ${fmtMiB(m.memory_bytes)} RAM, Node ${m.node}, ${m.platform}, GPU adapter: ${m.gpu_adapter ?? 'none'}. Recorded ${report.recorded_at}.`,
    '',
  ];
  // a roofline column where the suite measured the machine's peaks (kernels)
  const peaks = measuredPeaks(report.results);
  const roof = peaks.length > 0;
  lines.push(
    `| case | params | backend | median | min | max | peak RSS | 1-min load |${roof ? ' achieved vs peak |' : ''} notes |`,
    `|---|---|---|---|---|---|---|---|${roof ? '---|' : ''}---|`,
  );
  for (const r of report.results) {
    const params = Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(', ');
    const ratios = (r.extra.ratios ?? {}) as Record<string, RatioCheck>;
    const notes = [
      ...Object.entries(ratios).map(([k, v]) => `${k}: ${v.value.toFixed(1)}x (floor ${v.floor}x)`),
      ...Object.entries((r.extra.ceilings ?? {}) as Record<string, CeilingCheck>).map(([k, v]) => `${k} ceiling ${k.endsWith('bytes') ? fmtMiB(v.ceiling) : v.ceiling}`),
      ...(typeof r.extra.note === 'string' ? [r.extra.note] : []),
      ...rPeerNote(r.extra),
    ].join('; ');
    const load = r.load_avg_1m === undefined ? '' : r.load_avg_1m.toFixed(1);
    const roofCell = roof ? ` ${rooflineCell(r, peaks)} |` : '';
    lines.push(`| ${r.name} | ${params} | ${r.backend} | ${fmtS(r.median_s)} | ${fmtS(r.min_s)} | ${fmtS(r.max_s)} | ${fmtMiB(r.peak_rss_bytes)} | ${load} |${roofCell} ${notes} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** The R peer facts of a case (from r-peer.ts) as one note: R median, version, threads, estimate match; or why it was skipped. */
export function rPeerNote(extra: Record<string, unknown>): string[] {
  if (typeof extra.r_side === 'string') return [extra.r_side];
  const key = Object.keys(extra).find((k) => /^r_.+_median_s$/.test(k));
  if (!key) return [];
  const version = Object.entries((extra.r_version ?? {}) as Record<string, string>).map(([k, v]) => `${k} ${v}`).join(', ');
  const match = extra.r_estimate_match as { max_abs: number; max_rel: number; keys: number } | undefined;
  const threads = typeof extra.r_threads === 'number' ? `, ${extra.r_threads} thread${extra.r_threads === 1 ? '' : 's'}` : '';
  const est = match ? (match.keys ? `, estimates max abs diff ${match.max_abs.toExponential(1)} (rel ${match.max_rel.toExponential(1)}) over ${match.keys}` : ', no estimate compared') : '';
  return [`R same run: median ${fmtS(extra[key] as number)} (${version}${threads}${est})`];
}

/** Problems that make a CI benchmark run fail: ratios under their floor, a backend other than requested. */
export function checkReport(report: SuiteReport): string[] {
  const problems: string[] = [];
  for (const r of report.results) {
    const ratios = (r.extra.ratios ?? {}) as Record<string, RatioCheck>;
    for (const [name, check] of Object.entries(ratios)) {
      if (!(check.value >= check.floor)) {
        problems.push(`${report.suite}/${r.name}: ratio ${name} = ${check.value} is below its floor ${check.floor}`);
      }
    }
    const ceilings = (r.extra.ceilings ?? {}) as Record<string, CeilingCheck>;
    for (const [name, check] of Object.entries(ceilings)) {
      if (!(check.value <= check.ceiling)) {
        problems.push(`${report.suite}/${r.name}: ${name} = ${check.value} is above its ceiling ${check.ceiling}`);
      }
    }
    const requested = r.extra.requested_backend;
    if (typeof requested === 'string' && requested !== r.backend) {
      problems.push(`${report.suite}/${r.name}: requested backend '${requested}' but '${r.backend}' ran`);
    }
  }
  return problems;
}
