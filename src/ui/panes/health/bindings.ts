/** The health pane's keys. */
import type { Binding } from '../../keys/bindings.js';
import { refused, type PaneContext } from '../../pane-context.js';

export function healthBindings(ctx: PaneContext): Binding[] {
  const n = ctx.state.session?.runbook.health?.length ?? 0;
  const move = (by: number) => () => ctx.dispatch({ type: 'move', pane: 'health', by, max: n });
  return [
    { keys: ['up', 'k'], description: 'previous panel', handler: move(-1), helpOnly: true },
    { keys: ['down', 'j'], description: 'next panel', handler: move(1), helpOnly: true },
    // Offered only while there is something to decide: a canary that is inconclusive.
    ...(ctx.state.judge?.latest.verdict === 'marginal'
      ? [
          {
            keys: ['J'],
            description: 'decide the inconclusive canary',
            acts: true,
            handler: () => ctx.dispatch({ type: 'dialog', dialog: { kind: 'judge', input: '' } }),
            ...reasonOf(refused(ctx, { kind: 'judge' })),
          } satisfies Binding,
        ]
      : []),
  ];
}

function reasonOf(r: string | undefined): Pick<Binding, 'disabledReason'> {
  return r ? { disabledReason: r } : {};
}
