/** The timeline pane's keys: scroll, follow, filter, the story or every event, note. */
import type { Binding } from '../../keys/bindings.js';
import { refused, type PaneContext } from '../../pane-context.js';
import { timelineOffset } from '../../use-console-ui.js';
import { switchedOffset, timelineLength } from './rows.js';

export function timelineBindings(ctx: PaneContext): Binding[] {
  const events = ctx.model.events();
  const total = timelineLength(events, ctx.ui.raw);
  const page = Math.max(1, ctx.height - 1);
  const scroll = (by: number) => () => ctx.dispatch({ type: 'scroll', by, max: Math.max(0, total - 1), total });
  return [
    { keys: ['up', 'k'], description: 'scroll up', handler: scroll(1), helpOnly: true },
    { keys: ['down', 'j'], description: 'scroll down', handler: scroll(-1), helpOnly: true },
    { keys: ['pageup'], description: 'page up', handler: scroll(page), helpOnly: true },
    { keys: ['pagedown'], description: 'page down', handler: scroll(-page), helpOnly: true },
    { keys: ['f', 'end'], description: ctx.ui.offset === 0 ? 'following' : 'follow', handler: () => ctx.dispatch({ type: 'follow' }) },
    {
      keys: ['/'],
      description: ctx.ui.filter ? `filter: ${ctx.ui.filter}` : 'filter',
      handler: () => ctx.dispatch({ type: 'dialog', dialog: { kind: 'filter', input: ctx.ui.filter } }),
    },
    {
      keys: ['e'],
      description: ctx.ui.raw ? 'story' : 'all events',
      handler: () =>
        ctx.dispatch({
          type: 'raw',
          offset: switchedOffset(events, ctx.ui.raw, timelineOffset(ctx.ui, total), ctx.ui.filter),
          total: timelineLength(events, !ctx.ui.raw),
        }),
    },
    {
      keys: ['n'],
      description: 'note',
      acts: true,
      disabledReason: refused(ctx, { kind: 'note' }),
      handler: () => ctx.dispatch({ type: 'dialog', dialog: { kind: 'note', input: '' } }),
    },
  ];
}
