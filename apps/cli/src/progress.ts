import { SingleBar, Presets } from 'cli-progress';
import type { RunProgress } from '@panel-lab/analysis';

/** Rate of the current counted step (draws, networks, epochs): done/total with an ETA once it moves. */
export class StepClock {
  #key = '';
  #started = 0;
  #firstDone = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** "120/1000 draws, ETA 14 s" style suffix, or the step alone when it has no count. */
  describe(p: RunProgress): string {
    if (!p.total) return p.step;
    const key = `${p.analysis}|${p.step}|${p.total}`;
    const t = this.now();
    if (key !== this.#key || (p.done ?? 0) < this.#firstDone) {
      this.#key = key;
      this.#started = t;
      this.#firstDone = p.done ?? 0;
    }
    const done = p.done ?? 0;
    const rate = (done - this.#firstDone) / Math.max(1e-9, (t - this.#started) / 1000);
    const eta = rate > 0 && done < p.total ? ` ETA ${formatSeconds((p.total - done) / rate)}` : '';
    return `${p.step} (${done}/${p.total}${eta})`;
  }
}

export function formatSeconds(s: number): string {
  if (s < 90) return `${Math.max(1, Math.round(s))} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** Shows run progress: a bar on a terminal, one line per step otherwise (CI logs). */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): { update: (p: RunProgress) => void; stop: () => void } {
  const clock = new StepClock();
  if (stream.isTTY) {
    const bar = new SingleBar(
      { format: '{bar} {percentage}% | {analysis}: {step}', hideCursor: true, clearOnComplete: false, stream },
      Presets.shades_classic,
    );
    bar.start(100, 0, { analysis: '', step: '' });
    return {
      // overall keeps moving inside a step: handlers report fraction from their counted work
      update: (p) => bar.update(Math.round(p.overall * 1000) / 10, { analysis: p.analysis, step: clock.describe(p) }),
      stop: () => bar.stop(),
    };
  }
  let last = '';
  return {
    update: (p) => {
      const line = `[${(p.overall * 100).toFixed(0).padStart(3)}%] ${p.analysis}: ${clock.describe(p)}`;
      // Draw loops report often: print a line when the step changes or every 10% within it.
      const key = `${p.analysis}|${p.step.replace(/\d+\/\d+/, '')}|${Math.floor(p.fraction * 10)}`;
      if (key !== last) stream.write(`${line}\n`);
      last = key;
    },
    stop: () => undefined,
  };
}
