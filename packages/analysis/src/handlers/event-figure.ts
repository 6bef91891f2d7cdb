import { eventStudyChart, type Block, type Series } from '@panel-lab/report';

export interface EventFigureText {
  /** The block id. */
  readonly id: string;
  readonly title: string;
  readonly subtitle: string;
  readonly xTitle: 'periods relative to treatment' | 'years relative to treatment';
  readonly caption: string;
}

/**
 * The figure block of one outcome's event study: the y axis is the effect on the outcome, and the
 * treatment line sits at -0.5, between the reference period -1 and the first treated period 0.
 */
export async function eventStudyFigure(outcome: string, series: readonly Series[], text: EventFigureText): Promise<Block> {
  const chart = await eventStudyChart(series, { title: text.title, subtitle: text.subtitle, xTitle: text.xTitle, yTitle: `effect on ${outcome}`, treatmentLine: -0.5 });
  return { kind: 'figure', id: text.id, caption: text.caption, svg: chart.svg, spec: chart.spec };
}
