/** The timeline pane's keys: scroll, follow, filter, the story or every event, note. */
import type { Binding } from '../../keys/bindings.js';
import { refused, type PaneContext } from '../../pane-context.js';
import { switchedOffset, timelineLength } from './rows.js';

export function timelineBindings(ctx: PaneContext): Binding[] {
  const max = timelineLength(ctx.model.events(), ctx.ui.raw);
  const page = Math.max(1, ctx.height - 1);
  const scroll = (by: number) => () => ctx.dispatch({ type: 'scroll', by, max: Math.max(0, max - 1) });
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
      handler: () => ctx.dispatch({ type: 'raw', offset: switchedOffset(ctx.model.events(), ctx.ui.raw, ctx.ui.offset, ctx.ui.filter) }),
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
