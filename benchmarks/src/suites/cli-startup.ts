// `panel-lab --help` wall time, each run in a fresh process (issue 19: <= 0.3 s): the compiled CLI as
// installed from npm (dist/, plain node, libraries imported only when a command runs) against the
// path before issue 19 (tsx transpiling the sources, every library loaded at start-up) and today's
// development path (tsx from the sources, lazy imports). Needs the build (`npm run build`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchCase, BenchSuite } from '../harness.js';

const BIN = fileURLToPath(new URL('../../../apps/cli/bin/panel-lab.js', import.meta.url));
const COMPILED_MAIN = fileURLToPath(new URL('../../../apps/cli/dist/main.js', import.meta.url));
const EAGER = fileURLToPath(new URL('../fixtures/cli-help-eager.ts', import.meta.url));
const SOURCE_ARGS = ['--import', 'tsx', '--conditions=@panel-lab/source'];
const TARGET_S = 0.3;
// Preloaded into each child: prints the process's own CPU seconds at exit (less sensitive than wall
// time to other jobs on a shared machine).
const CPU_HOOK = "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('\\ncpu_s=' + (u.user + u.system) / 1e6 + '\\n'); });";
const CPU_REPORT = ['--import', `data:text/javascript,${encodeURIComponent(CPU_HOOK)}`];

// No inherited NODE_OPTIONS (the source condition would send the compiled CLI to src/*.ts).
const { NODE_OPTIONS: _dropped, PANEL_LAB_COMPILED: _mode, ...baseEnv } = process.env;

/** Wall seconds of every timed run, per case, in this process (the compiled case's ratios use them). */
const walls = new Map<string, number[]>();

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function helpCase(key: string, name: string, args: string[], env: NodeJS.ProcessEnv, facts: () => Record<string, unknown> = () => ({})): BenchCase {
  return {
    name,
    params: { command: 'panel-lab --help', path: key },
    backend: 'cpu',
    setup: () => {
      if (key === 'compiled' && !existsSync(COMPILED_MAIN)) throw new Error(`cli-startup: the CLI is not built (${COMPILED_MAIN} missing); run \`npm run build\` first`);
    },
    run: () => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [...CPU_REPORT, ...args, '--help'], { env, encoding: 'utf8' });
      const wallS = (performance.now() - t0) / 1000;
      if (r.status !== 0 || !r.stdout.includes('Usage: panel-lab')) throw new Error(`cli-startup ${key}: exit ${r.status}: ${r.stderr.slice(-2000)}`);
      walls.set(key, [...(walls.get(key) ?? []), wallS]);
      const cpu = /cpu_s=([\d.e-]+)/.exec(r.stderr);
      return { wall_s: wallS, fastest_wall_s: Math.min(...walls.get(key)!), process_cpu_s: cpu ? Number(cpu[1]) : null, loadavg_1m: loadavg()[0], ...facts() };
    },
  };
}

function compiledFacts(): Record<string, unknown> {
  const runs = walls.get('compiled') ?? [];
  const compiled = median(runs);
  const fastest = Math.min(...runs);
  const eager = walls.get('tsx-eager');
  const lazy = walls.get('tsx-lazy');
  return {
    ratios: {
      target_0_3s_over_compiled: { value: TARGET_S / fastest, floor: 1, description: `panel-lab --help of the compiled CLI under ${TARGET_S} s; fastest run, as the machine is shared` },
      ...(eager ? { tsx_eager_over_compiled: { value: median(eager) / compiled, floor: 3, description: 'before issue 19 (tsx, every library at start-up) / compiled, same run' } } : {}),
      ...(lazy ? { tsx_lazy_over_compiled: { value: median(lazy) / compiled, floor: 0, description: 'development path (tsx, lazy imports) / compiled, same run' } } : {}),
    },
  };
}

export const suite: BenchSuite = {
  name: 'cli-startup',
  description:
    '`panel-lab --help` wall time of a fresh process (spawn to exit): before issue 19 (tsx transpiling the sources, analysis/report/panel/datasets loaded at start-up), the development path (tsx from the sources, libraries imported when a command runs), and the compiled CLI as installed from npm (dist/, plain node); target <= 0.3 s. Same-run ratios against the compiled CLI.',
  cases: () => [
    helpCase('tsx-eager', 'panel-lab --help, tsx from sources, libraries at start-up (before issue 19)', [...SOURCE_ARGS, EAGER], baseEnv),
    helpCase('tsx-lazy', 'panel-lab --help, tsx from sources, lazy imports (development)', [BIN], baseEnv),
    helpCase('compiled', 'panel-lab --help, compiled (dist, plain node; the installed package)', [BIN], { ...baseEnv, PANEL_LAB_COMPILED: '1' }, compiledFacts),
  ],
};
