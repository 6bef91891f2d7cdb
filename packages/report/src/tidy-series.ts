import type { Series, TidyRow } from './types.js';

/**
 * Event-study series from tidy rows: x = event_time, band = conf_low/conf_high, simultaneous band
 * = conf_*_simult. Rows without event_time are counted, not silently dropped.
 */
export function seriesFromTidy(name: string, rows: readonly TidyRow[]): { series: Series; skipped: number } {
  const usable = rows.filter((r) => r.event_time !== undefined && r.event_time !== null && Number.isFinite(r.event_time));
  const points = usable
    .map((r) => ({
      x: r.event_time as number,
      estimate: r.estimate,
      lo: r.conf_low ?? null,
      hi: r.conf_high ?? null,
      lo_simult: r.conf_low_simult ?? null,
      hi_simult: r.conf_high_simult ?? null,
    }))
    .sort((a, b) => a.x - b.x);
  return Object.freeze({ series: Object.freeze({ name, points }), skipped: rows.length - usable.length });
}
