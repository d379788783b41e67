/** The core's public surface: events, the reducer, selectors. Pure: no I/O, no clock. */
export * from './events.js';
export { assertPlainJson, DEV } from './plain.js';
export { initialState } from './state.js';
export {
  OutputTails,
  OUTPUT_TAIL_LINES,
  OUTPUT_TAIL_CHARS,
  FINISHED_TAILS,
  TOTAL_TAIL_CHARS,
  type TailLimits,
  type TailRecord,
  type TailsRecord,
  type TailsView,
} from './output-tails.js';
export type * from './state.js';
export { reduce, reduceAll } from './reduce.js';
export { formatValue, formatThreshold, formatCheck, formatMeasured, formatCompare, formatRatio, type Unit } from './format.js';
export {
  selectHealth,
  panelRow,
  ratioOf,
  sortSeries,
  DEFAULT_INTERVAL_MS,
  TOP_SERIES,
  type HealthRow,
  type PanelStatus,
} from './select-health.js';
export { selectChecklist, type PhaseRow, type StepRow, type PhaseStatus } from './select-checklist.js';
export { selectRollback, type RollbackView, type LevelRow, type HostProgress } from './select-rollback.js';
export { selectTriggers, selectFiringTriggers, SEVERITY_RANK, triggerReason, type TriggerRow } from './select-triggers.js';
export { timelineLine, SEVERITY_MARK, type TimelineLine, type LineKind, type LineSeverity } from './select-timeline.js';
export { StoryIndex, storyOf, type StoryLine, type StoryList } from './story.js';
export { selectStatus, selectAlert, type StatusView, type AlertView } from './select-status.js';
export { refusal, type Intent, type LiveFacts, type Refusal } from './refusal.js';
export { selectOutcome, selectEndedAs, formatEndedAs, rollbackOutcome, type Ending, type EndedAs } from './select-outcome.js';
