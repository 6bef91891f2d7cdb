import { SingleBar, Presets } from 'cli-progress';
import type { RunProgress } from '@panel-lab/analysis';

/** Shows run progress: a bar on a terminal, one line per step otherwise (CI logs). */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): { update: (p: RunProgress) => void; stop: () => void } {
  if (stream.isTTY) {
    const bar = new SingleBar(
      { format: '{bar} {percentage}% | {analysis}: {step}', hideCursor: true, clearOnComplete: false, stream },
      Presets.shades_classic,
    );
    bar.start(100, 0, { analysis: '', step: '' });
    return {
      update: (p) => bar.update(Math.round(p.overall * 100), { analysis: p.analysis, step: describeStep(p) }),
      stop: () => bar.stop(),
    };
  }
  let last = '';
  return {
    update: (p) => {
      const line = `[${(p.overall * 100).toFixed(0).padStart(3)}%] ${p.analysis}: ${p.step}`;
      // Draw loops report often: print a line when the step changes or every 10% within it.
      const key = `${p.analysis}|${p.step.replace(/\d+\/\d+/, '')}|${Math.floor(p.fraction * 10)}`;
      if (key !== last) stream.write(`${line}${p.total ? ` (${p.done}/${p.total})` : ''}\n`);
      last = key;
    },
    stop: () => undefined,
  };
}

function describeStep(p: RunProgress): string {
  return p.total ? `${p.step} (${p.done}/${p.total})` : p.step;
}
