/** The timeline pane: the newest events (follow mode) or a scrolled window, optionally filtered. */
import { memo, useMemo, useRef } from 'react';
import { LinesView } from '../../components/LinesView.js';
import type { PaneContext } from '../../pane-context.js';
import { TimelineCache, timelineLines } from './rows.js';

export const TimelinePane = memo(function TimelinePane({ ctx }: { ctx: PaneContext }) {
  const cache = useRef(new TimelineCache());
  const events = ctx.model.events();
  const { width, height, color, ui, state } = ctx;
  const lines = useMemo(
    () =>
      timelineLines({ events, cache: cache.current, offset: ui.offset, filter: ui.filter, width, height, color }).lines.slice(0, height),
    // state changes whenever an event is folded, so it stands for the event list's length here.
    [events, state, ui.offset, ui.filter, width, height, color],
  );
  return <LinesView lines={lines} />;
});
