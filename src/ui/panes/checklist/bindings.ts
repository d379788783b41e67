/** The checklist pane's keys. */
import { selectChecklist } from '../../../core/select-checklist.js';
import type { Binding } from '../../keys/bindings.js';
import { refused, report, type PaneContext } from '../../pane-context.js';
import { checklistItems } from './rows.js';
import { settling } from './settle.js';

export function checklistBindings(ctx: PaneContext): Binding[] {
  const phases = selectChecklist(ctx.state, ctx.now);
  const items = checklistItems(phases);
  const at = Math.min(ctx.ui.cursor.checklist, items.length - 1);
  const item = items[at];
  const session = ctx.model.session;
  const step = item?.kind === 'step' ? item.step : undefined;
  const move = (by: number, auto?: boolean) => () =>
    ctx.dispatch({ type: 'move', pane: 'checklist', by, max: items.length, ...(auto ? { auto } : {}) });
  return [
    { keys: ['up', 'k'], description: 'previous item', handler: move(-1), helpOnly: true },
    { keys: ['down', 'j'], description: 'next item', handler: move(1), helpOnly: true },
    {
      keys: ['enter'],
      description: step?.kind === 'manual' ? 'tick' : item?.kind === 'gate' ? 'go / no-go' : 'run step',
      acts: true,
      disabledReason: !item
        ? 'nothing selected'
        : // First the wait on an item the cursor just moved to: a second Enter close behind the first gets this reason.
          (settling(ctx.ui, at, item.kind === 'gate' ? item.title : item.step.title) ??
          (item.kind === 'gate' ? refused(ctx, { kind: 'gate', phase: item.phase }) : refused(ctx, { kind: 'run', step: item.step.id }))),
      handler: () => {
        if (!session || !item) return;
        if (item.kind === 'gate')
          ctx.dispatch({ type: 'dialog', dialog: { kind: 'gate', phase: item.phase, title: item.title, input: '' } });
        else {
          const refusal = session.act(item.step.id);
          report(ctx, refusal);
          // The step started: the next one is what the operator looks at now (and reads before Enter acts on it).
          if (refusal === undefined) move(1, true)();
        }
      },
    },
    {
      keys: ['r'],
      description: 'retry',
      acts: true,
      disabledReason: step ? refused(ctx, { kind: 'retry', step: step.id }) : 'select a step',
      handler: () => session && step && report(ctx, session.retry(step.id)),
    },
    {
      keys: ['s'],
      description: 'skip…',
      acts: true,
      disabledReason: step ? refused(ctx, { kind: 'skip', step: step.id }) : 'select a step',
      handler: () => step && ctx.dispatch({ type: 'dialog', dialog: { kind: 'skip', step: step.id, title: step.title, input: '' } }),
    },
  ];
}
