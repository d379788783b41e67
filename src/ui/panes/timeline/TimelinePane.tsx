/** The timeline pane: the story or every event, the newest (follow mode) or a scrolled window, optionally filtered. */
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
      timelineLines({ events, cache: cache.current, raw: ui.raw, offset: ui.offset, filter: ui.filter, width, height, color }).lines.slice(
        0,
        height,
      ),
    // state changes whenever an event is folded, so it stands for the event list's length here.
    [events, state, ui.raw, ui.offset, ui.filter, width, height, color],
  );
  return <LinesView lines={lines} />;
});
