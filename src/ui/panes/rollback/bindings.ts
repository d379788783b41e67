/** The rollback pane's keys: select a level, open its confirmation (R), abort (x), cancel a countdown (c). */
import { selectRollback } from '../../../core/select-rollback.js';
import type { Binding } from '../../keys/bindings.js';
import { refused, report, type PaneContext } from '../../pane-context.js';

export function rollbackBindings(ctx: PaneContext): Binding[] {
  const view = selectRollback(ctx.state, ctx.now);
  const running = view.run?.status === 'running';
  const level = view.levels[Math.min(ctx.ui.cursor.rollback, view.levels.length - 1)];
  const session = ctx.model.session;
  const move = (by: number) => () =>
    running
      ? ctx.dispatch({ type: 'moveHost', by, max: view.run?.hosts.length ?? 0 })
      : ctx.dispatch({ type: 'move', pane: 'rollback', by, max: view.levels.length });
  return [
    { keys: ['up', 'k'], description: running ? 'previous host' : 'previous level', handler: move(-1), helpOnly: true },
    { keys: ['down', 'j'], description: running ? 'next host' : 'next level', handler: move(1), helpOnly: true },
    {
      keys: ['R'],
      description: 'roll back…',
      dangerous: true,
      disabledReason: !level ? 'no rollback levels' : refused(ctx, { kind: 'rollback', level: level.id }),
      handler: () => level && ctx.dispatch({ type: 'dialog', dialog: { kind: 'rollback', level: level.id } }),
    },
    {
      keys: ['x'],
      description: 'abort rollback…',
      dangerous: true,
      disabledReason: refused(ctx, { kind: 'abort-rollback' }),
      handler: () => view.run && ctx.dispatch({ type: 'dialog', dialog: { kind: 'abort', level: view.run.level } }),
    },
    {
      keys: ['c'],
      description: view.recommended?.countdownUntil !== undefined ? 'cancel auto rollback' : 'dismiss',
      acts: true,
      disabledReason: refused(ctx, { kind: 'dismiss' }),
      handler: () => session && report(ctx, session.dismissRecommendation()),
    },
  ];
}
