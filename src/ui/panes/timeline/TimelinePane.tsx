/** The timeline pane: the story or every event, the newest (follow mode) or a scrolled window, optionally filtered. */
import { memo, useMemo, useRef } from 'react';
import { LinesView } from '../../components/LinesView.js';
import type { PaneContext } from '../../pane-context.js';
import { timelineOffset } from '../../use-console-ui.js';
import { TimelineCache, timelineLength, timelineLines } from './rows.js';

export const TimelinePane = memo(function TimelinePane({ ctx }: { ctx: PaneContext }) {
  const cache = useRef(new TimelineCache());
  const events = ctx.model.events();
  const { width, height, color, ui, state } = ctx;
  const lines = useMemo(
    () => {
      // Scrolled up, the window stays on its lines while new ones are told below it.
      const offset = timelineOffset(ui, timelineLength(events, ui.raw));
      return timelineLines({ events, cache: cache.current, raw: ui.raw, offset, filter: ui.filter, width, height, color }).lines.slice(
        0,
        height,
      );
    },
    // state changes whenever an event is folded, so it stands for the event list's length here.
    [events, state, ui.raw, ui.offset, ui.offsetAt, ui.filter, width, height, color],
  );
  return <LinesView lines={lines} />;
});
