/** One registry maps a pane kind to its title, focus key, component and bindings. */
import type { ComponentType } from 'react';
import type { Binding } from './keys/bindings.js';
import type { PaneKind } from './layout/layout.js';
import type { PaneContext } from './pane-context.js';
import { HealthPane } from './panes/health/HealthPane.js';
import { healthBindings } from './panes/health/bindings.js';
import { ChecklistPane } from './panes/checklist/ChecklistPane.js';
import { checklistBindings } from './panes/checklist/bindings.js';
import { TimelinePane } from './panes/timeline/TimelinePane.js';
import { timelineBindings } from './panes/timeline/bindings.js';
import { RollbackPane } from './panes/rollback/RollbackPane.js';
import { rollbackBindings } from './panes/rollback/bindings.js';

export interface PaneSpec {
  title: string;
  /** The digit that focuses it. */
  key: string;
  Component: ComponentType<{ ctx: PaneContext }>;
  bindings: (ctx: PaneContext) => Binding[];
}

export const PANES: Record<PaneKind, PaneSpec> = {
  health: { title: 'Health', key: '1', Component: HealthPane, bindings: healthBindings },
  checklist: { title: 'Checklist', key: '2', Component: ChecklistPane, bindings: checklistBindings },
  timeline: { title: 'Timeline', key: '3', Component: TimelinePane, bindings: timelineBindings },
  rollback: { title: 'Rollback', key: '4', Component: RollbackPane, bindings: rollbackBindings },
};
