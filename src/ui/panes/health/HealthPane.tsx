/** The health pane: panels with value, status, check, sparkline; firing alerts. */
import { memo, useMemo } from 'react';
import { selectHealth } from '../../../core/select-health.js';
import { LinesView } from '../../components/LinesView.js';
import type { PaneContext } from '../../pane-context.js';
import { sparkline } from '../../sparkline.js';
import { healthLines, type SparkRenderer } from './rows.js';

const spark: SparkRenderer = (points, width, height, range) =>
  sparkline(points as [number, number][], { width, height, ...(range ?? {}) }).split('\n');

export const HealthPane = memo(function HealthPane({ ctx }: { ctx: PaneContext }) {
  const { state, now, width, height, color, ui } = ctx;
  const lines = useMemo(
    () =>
      healthLines({
        rows: selectHealth(state, now),
        ...(state.alerts ? { alerts: state.alerts } : {}),
        width,
        height,
        cursor: ui.cursor.health,
        color,
        spark,
      }).slice(0, height),
    // Only what the rows read: output streaming in elsewhere must not recompute the panels.
    [state.panels, state.alerts, state.session, now, width, height, ui.cursor.health, color],
  );
  return <LinesView lines={lines} />;
});
