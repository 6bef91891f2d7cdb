// Child process: runs one suite file at one scale and prints its results as JSON on the last stdout line.
// Each suite runs in its own process so peak memory (maxRSS) belongs to that suite alone.
import { pathToFileURL } from 'node:url';
import { measure, type BenchSuite, type Scale } from './harness.js';

const [file, scale, warmupArg, runsArg] = process.argv.slice(2);
if (!file || !scale) throw new Error('usage: run-suite <suite-file> <scale> [warmup] [runs]');
const mod = (await import(pathToFileURL(file).href)) as { suite?: BenchSuite };
if (!mod.suite) throw new Error(`${file} does not export 'suite'`);
const results = [];
for (const benchCase of mod.suite.cases(scale as Scale)) {
  process.stderr.write(`  ${mod.suite.name} / ${benchCase.name} ...\n`);
  const repeat = mod.suite.repeat ?? { warmup: Number(warmupArg ?? 1), runs: Number(runsArg ?? 5) };
  results.push(await measure(benchCase, repeat));
}
process.stdout.write(`\n${JSON.stringify({ suite: mod.suite.name, description: mod.suite.description, results })}\n`);
