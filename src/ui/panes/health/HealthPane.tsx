/** The health pane: firing alerts, then panels with value, status, check, and a sparkline sized to the pane. */
import { memo, useMemo } from 'react';
import type { SampleValue } from '../../../core/events.js';
import { selectHealth } from '../../../core/select-health.js';
import { selectJudge } from '../../../core/select-judge.js';
import type { SessionState } from '../../../core/state.js';
import { LinesView } from '../../components/LinesView.js';
import type { PaneContext } from '../../pane-context.js';
import { brailleSpark, type ChartRules } from './chart.js';
import { healthLines } from './rows.js';

export const HealthPane = memo(function HealthPane({ ctx }: { ctx: PaneContext }) {
  const { state, now, width, height, color, ui } = ctx;
  const lines = useMemo(
    () =>
      healthLines({
        rows: selectHealth(state, now),
        ...(state.alerts ? { alerts: state.alerts } : {}),
        baselines: baselines(state),
        rules: rules(state),
        width,
        height,
        cursor: ui.cursor.health,
        color,
        now,
        spark: brailleSpark,
        ...judgeInput(state),
      }).slice(0, height),
    // Only what the rows read: output streaming in elsewhere must not recompute the panels.
    [state.panels, state.alerts, state.session, state.judge, now, width, height, ui.cursor.health, color],
  );
  return <LinesView lines={lines} />;
});

/** The judge's score line and question, when the runbook judges. */
function judgeInput(state: SessionState) {
  const j = selectJudge(state);
  return j ? { judge: { text: j.text, verdict: j.verdict, ...(j.ask ? { ask: j.ask } : {}) } } : {};
}

/** Compare panels' baseline windows, by panel id. */
function baselines(state: SessionState): Record<string, [number, SampleValue][]> {
  const out: Record<string, [number, SampleValue][]> = {};
  for (const [id, p] of Object.entries(state.panels)) if (p.range?.baseline) out[id] = p.range.baseline;
  return out;
}

/**
 * The thresholds of each panel as numbers: value checks are drawn on the chart; ratio checks are
 * not values, but a compare panel's ratios are written with the digits they need against them.
 */
export function rules(state: SessionState): Record<string, ChartRules> {
  const out: Record<string, ChartRules> = {};
  for (const p of state.session?.runbook.health ?? []) {
    const warn = p.warn && !p.warn.ratio ? p.warn.value : undefined;
    const crit = p.crit && !p.crit.ratio ? p.crit.value : undefined;
    const ratios = [p.warn, p.crit].filter((c) => c?.ratio).map((c) => c!.value);
    if (warn !== undefined || crit !== undefined || ratios.length)
      out[p.id] = {
        ...(warn !== undefined ? { warn } : {}),
        ...(crit !== undefined ? { crit } : {}),
        ...(ratios.length ? { ratios } : {}),
      };
  }
  return out;
}
