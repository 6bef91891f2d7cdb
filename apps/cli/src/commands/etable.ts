import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';

interface EtableCommandOptions {
  format: string;
  analyses?: string;
  digits: number;
  labels?: string;
  keep?: string;
  title?: string;
  stars: boolean;
  starLevels: string;
  out?: string;
}

const FORMATS: Readonly<Record<string, 'latex' | 'markdown' | 'html'>> = { latex: 'latex', tex: 'latex', md: 'markdown', markdown: 'markdown', html: 'html' };

const list = (value: string | undefined): string[] | undefined => value?.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

/** `term=Label,term2=Label 2` as a map, naming the bad entry. */
function parseLabels(value: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of value.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`--labels: '${pair}' is not term=Label`);
    labels[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return labels;
}

export function registerEtable(program: Command): void {
  program
    .command('etable')
    .description("regression table (fixest etable conventions) of a run's analyses, as LaTeX, Markdown or HTML")
    .argument('<run-dir>', 'output folder of a run (holds results/run.json)')
    .option('--format <format>', 'latex, md (markdown) or html', 'md')
    .option('--analyses <ids>', 'analysis ids, comma-separated (default: every analysis with models)')
    .option('--digits <n>', 'decimal places of estimates and SEs', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 12) throw new InvalidArgumentError(`--digits must be an integer 0..12, got '${v}'`);
      return n;
    }, 3)
    .option('--labels <pairs>', 'coefficient labels, e.g. D=Treated,lpop=Log population')
    .option('--keep <terms>', 'only these terms, in this order, comma-separated')
    .option('--title <text>', 'table title (caption)')
    .option('--no-stars', 'leave out significance stars')
    .option('--star-levels <set>', "fixest (*** 0.001, ** 0.01, * 0.05) or economics (*** 0.01, ** 0.05, * 0.1)", 'fixest')
    .option('--out <file>', 'write to this file (default: standard output)')
    .addHelpText('after', '\nColumns: one per model; rows: coefficients with SEs in parentheses, fixed effects, S.E. type, observations, R², within R².')
    .action(async (runDir: string, options: EtableCommandOptions) => {
      const format = FORMATS[options.format];
      if (!format) throw new Error(`--format: '${options.format}' is not one of latex, md, html`);
      if (options.starLevels !== 'fixest' && options.starLevels !== 'economics') throw new Error(`--star-levels: '${options.starLevels}' is not fixest or economics`);
      const { ECONOMICS_STAR_LEVELS, STAR_LEVELS, exportEtable, runModels } = await import('@panel-lab/analysis');
      const models = await runModels(runDir, list(options.analyses));
      const keep = list(options.keep);
      const text = exportEtable(models, format, {
        digits: options.digits,
        stars: options.stars,
        starLevels: options.starLevels === 'economics' ? ECONOMICS_STAR_LEVELS : STAR_LEVELS,
        ...(options.labels ? { labels: parseLabels(options.labels) } : {}),
        ...(keep ? { keep } : {}),
        ...(options.title ? { title: options.title } : {}),
      });
      if (options.out) await writeFile(options.out, text);
      else process.stdout.write(text);
    });
}
