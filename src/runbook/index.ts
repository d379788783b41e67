/** The runbook module's public surface. */
export { RunbookSchema, stepKind, normalizeHost, STEP_KINDS } from './schema.js';
export type { Runbook, Panel, Phase, Step, StepKind, RollbackLevel, Trigger, Severity, HostSpec } from './schema.js';
export { loadRunbookFile, loadRunbookText, loadRunbook, RunbookError, type Loaded } from './load.js';
export { parseDuration, formatDuration, formatElapsed } from './duration.js';
export { parseCheck, parseCondition, holds, type Check, type CheckOp, type Condition } from './check.js';
export { parseAmount, resolveBatch, resolveMaxFail, type Amount } from './amount.js';
export { formatProblem, sortProblems, type Problem } from './problem.js';
export { checkPromql } from './promql.js';
