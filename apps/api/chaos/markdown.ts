import type { ChaosReport } from './scenarios.js';

/** The chaos report as the Markdown recorded beside its JSON (and in the README). */
export function chaosMarkdown(r: ChaosReport): string {
  const rows = r.scenarios.map((s) => `| ${s.scenario} | ${s.submitted} | ${s.succeeded} | ${s.failed} | ${s.lost} | ${s.stuck} | ${s.duplicated} | ${s.seconds.toFixed(1)} | ${Object.entries(s.figures).map(([k, v]) => `${k} ${v}`).join(', ')} |`);
  return [
    `# Chaos suite (${r.scale})`,
    '',
    `${r.startedAt}, ${r.cpus} CPUs, 1-min load ${r.load1} at the start (shared machine). API + 2 workers (1 task each) on one redis-server, loopback only; the scenarios named '2 API replicas + PostgreSQL' run the distributed engine (2 API replicas, 2 workers, Redis, a PostgreSQL job store; requests alternate between the replicas).`,
    `Bounds: no job unfinished after ${r.bounds.stuckAfterS} s; tenant B's p95 status latency during tenant A's flood under ${r.bounds.otherTenantP95Ms} ms.`,
    '',
    '| scenario | jobs | succeeded | failed | lost | stuck | duplicated | seconds | figures |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...r.scenarios.filter((s) => s.errors?.length).map((s) => `${s.scenario}: the failed jobs say \`${s.errors![0]}\``),
    '',
  ].join('\n');
}
