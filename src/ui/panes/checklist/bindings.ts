/** The checklist pane's keys. */
import { selectChecklist } from '../../../core/select-checklist.js';
import type { Binding } from '../../keys/bindings.js';
import { report, type PaneContext } from '../../pane-context.js';
import { checklistItems } from './rows.js';

export function checklistBindings(ctx: PaneContext): Binding[] {
  const phases = selectChecklist(ctx.state, ctx.now);
  const items = checklistItems(phases);
  const item = items[Math.min(ctx.ui.cursor.checklist, items.length - 1)];
  const session = ctx.model.session;
  const phase = item && phases.find((p) => p.id === item.phase);
  const step = item?.kind === 'step' ? item.step : undefined;
  const gateReason = !item || item.kind !== 'gate' ? undefined
    : phase?.status === 'locked' ? `locked until "${phase.lockedBy}" says go`
    : phase?.gate?.decision?.decision === 'go' ? 'this gate already said go'
    : phase?.status !== 'gate' && phase?.status !== 'no-go' ? 'finish the steps of this phase first' : undefined;
  const move = (by: number) => () => ctx.dispatch({ type: 'move', pane: 'checklist', by, max: items.length });
  return [
    { keys: ['up', 'k'], description: 'previous item', handler: move(-1), helpOnly: true },
    { keys: ['down', 'j'], description: 'next item', handler: move(1), helpOnly: true },
    {
      keys: ['enter'],
      description: step?.kind === 'manual' ? 'tick' : item?.kind === 'gate' ? 'go / no-go' : 'run step',
      acts: true,
      disabledReason: !item ? 'nothing selected' : item.kind === 'gate' ? gateReason : phase?.status === 'locked' ? `locked until "${phase.lockedBy}" says go` : step?.status === 'running' ? 'already running' : step?.status === 'passed' ? 'already passed' : step?.status === 'failed' ? 'failed: r retries, s skips' : undefined,
      handler: () => {
        if (!session || !item) return;
        if (item.kind === 'gate') ctx.dispatch({ type: 'dialog', dialog: { kind: 'gate', phase: item.phase, title: item.title, input: '' } });
        else report(ctx, session.act(item.step.id));
      },
    },
    {
      keys: ['r'],
      description: 'retry',
      acts: true,
      disabledReason: step?.status === 'failed' ? undefined : 'only a failed step can be retried',
      handler: () => session && step && report(ctx, session.retry(step.id)),
    },
    {
      keys: ['s'],
      description: 'skip…',
      acts: true,
      disabledReason: !step ? 'select a step' : step.status === 'passed' || step.status === 'skipped' ? `already ${step.status}` : step.status === 'running' ? 'running' : phase?.status === 'locked' ? `locked until "${phase.lockedBy}" says go` : undefined,
      handler: () => step && ctx.dispatch({ type: 'dialog', dialog: { kind: 'skip', step: step.id, title: step.title, input: '' } }),
    },
  ];
}
