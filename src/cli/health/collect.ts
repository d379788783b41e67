/**
 * One round of `cutover health`: every panel queried once (and Alertmanager, when the runbook
 * has it), the events folded by the core reducer, the rows read with the health pane's selector.
 */
import { createRequire } from 'node:module';
import type { SessionEvent } from '../../core/events.js';
import { reduceAll } from '../../core/reduce.js';
import { selectHealth } from '../../core/select-health.js';
import type { SessionState } from '../../core/state.js';
import { recordingContext } from '../../drivers/context.js';
import { alertmanagerTarget, clientFor, displayUrl, pollAlerts, pollPanel } from '../../drivers/prometheus/index.js';
import type { Runbook } from '../../runbook/schema.js';
import type { HealthReport } from './render.js';

/** The `session/started` event that gives the reducer (and so the selectors) the runbook. */
export function startEvent(runbook: Runbook, file: string, sha256: string, env: NodeJS.ProcessEnv, t: number): SessionEvent {
  const version = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
  return {
    type: 'session/started',
    t,
    sessionId: 'health',
    runbook,
    runbookPath: file,
    runbookSha256: sha256,
    operator: env.USER ?? env.LOGNAME ?? 'cli',
    mode: 'live',
    version,
  };
}

/** Queries everything once, concurrently (one request per panel at a time), and folds the events. */
export async function collectOnce(runbook: Runbook, start: SessionEvent, env: NodeJS.ProcessEnv): Promise<SessionState> {
  const ctx = recordingContext();
  const client = clientFor(runbook, { env });
  const am = alertmanagerTarget(runbook);
  await Promise.all([...(runbook.health ?? []).map((p) => pollPanel(client, p, ctx)), ...(am ? [pollAlerts(am, ctx, { env })] : [])]);
  return reduceAll([start, ...ctx.events]);
}

/** The report of a state at `now`. */
export function reportOf(state: SessionState, runbook: Runbook, file: string, now: number): HealthReport {
  return {
    runbook: runbook.name,
    file,
    prometheus: displayUrl(runbook.prometheus?.url ?? ''),
    at: now,
    rows: selectHealth(state, now),
    ...(state.alerts ? { alerts: { list: state.alerts.list, ...(state.alerts.error ? { error: state.alerts.error } : {}) } } : {}),
  };
}
