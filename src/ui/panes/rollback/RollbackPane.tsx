/** The rollback pane: levels, recommendation and countdown, live per-host progress and output. */
import { memo, useMemo } from 'react';
import { selectRollback } from '../../../core/select-rollback.js';
import type { PendingApproval, SessionState } from '../../../core/state.js';
import { LinesView } from '../../components/LinesView.js';
import type { PaneContext } from '../../pane-context.js';
import { rollbackLines } from './rows.js';

export const RollbackPane = memo(function RollbackPane({ ctx }: { ctx: PaneContext }) {
  const { state, width, height, color, ui, model } = ctx;
  // While a countdown runs the pane follows the exact clock, so it says the same second as the status bar.
  const now = state.rollback.recommended?.countdownUntil !== undefined ? ctx.exactNow : ctx.now;
  const tails = model.tails();
  const lines = useMemo(
    () =>
      rollbackLines({
        view: selectRollback(state, now),
        cursor: ui.cursor.rollback,
        hostCursor: ui.hostCursor,
        commands: state.commands,
        tails,
        now,
        width,
        height,
        color,
        readOnly: model.readOnly,
        ...(state.session ? { runbook: state.session.runbook } : {}),
        ...askedOf(state),
      }).slice(0, height),
    // Output moves the tails, not the state's commands: their version says when the shown tail may have changed.
    [state, tails, tails.version, now, width, height, ui.cursor.rollback, ui.hostCursor, color, model.readOnly],
  );
  return <LinesView lines={lines} />;
});

/** The rollback waiting for a second approver, if one is. */
function askedOf(state: SessionState): { asked?: PendingApproval } {
  const asked = Object.values(state.approvals ?? {}).find((p) => p.subject.kind === 'rollback');
  return asked ? { asked } : {};
}
