/** The checklist pane: phases, steps and gates, with the cursor on the selected item. */
import { memo, useMemo } from 'react';
import { selectChecklist } from '../../../core/select-checklist.js';
import { LinesView } from '../../components/LinesView.js';
import type { PaneContext } from '../../pane-context.js';
import { checklistLines } from './rows.js';

export const ChecklistPane = memo(function ChecklistPane({ ctx }: { ctx: PaneContext }) {
  const { state, now, width, height, color, ui } = ctx;
  const lines = useMemo(
    () =>
      checklistLines({
        phases: selectChecklist(state, now),
        cursor: ui.cursor.checklist,
        width,
        height,
        now,
        color,
        ...(state.session ? { runbook: state.session.runbook } : {}),
      }),
    // The running step's elapsed time moves with `now`; output elsewhere must not recompute this.
    [state.steps, state.gates, state.session, state.approvals, now, width, height, ui.cursor.checklist, color],
  );
  return <LinesView lines={lines} />;
});
