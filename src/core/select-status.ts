/** The status bar: runbook, T+elapsed, Prometheus state, SSH connections, outcome. */
import { formatDuration, formatElapsed } from '../runbook/duration.js';
import { levelRuns, ranText, rollbackInProgress } from './select-rollback.js';
import type { SessionState } from './state.js';
import { selectEndedAs } from './select-outcome.js';
import { pendingOf } from './refusal.js';
import { subjectText } from './select-timeline.js';

export interface StatusView {
  runbook: string;
  operator: string;
  elapsed: string;
  prometheus: 'ok' | 'degraded' | 'down' | 'none' | 'waiting';
  running: number;
  /** How the session ended, as the report and `cutover sessions` say it (`selectEndedAs`). */
  ended?: string;
}

/** The status bar at `now`. Connection counts come from drivers; this is what the journal knows. */
export function selectStatus(state: SessionState, now: number): StatusView {
  const s = state.session;
  const panels = s?.runbook.health ?? [];
  const errors = panels.filter(
    (p) => state.panels[p.id]?.error && (state.panels[p.id]?.error?.t ?? 0) >= (state.panels[p.id]?.sample?.t ?? 0),
  ).length;
  const seen = panels.filter((p) => state.panels[p.id]).length;
  const prometheus = !s?.runbook.prometheus
    ? 'none'
    : seen === 0
      ? 'waiting'
      : errors === 0
        ? 'ok'
        : errors === panels.length
          ? 'down'
          : 'degraded';
  const running = Object.values(state.commands).filter((c) => c.endedAt === undefined).length;
  return {
    runbook: s?.runbook.name ?? '',
    operator: s?.operator ?? '',
    elapsed: s ? formatElapsed((s.endedAt ?? now) - s.startedAt) : formatElapsed(0),
    prometheus,
    running,
    ...(s?.outcome ? { ended: selectEndedAs(state).outcome ?? s.outcome } : {}),
  };
}

/** What needs the operator's eyes now, for the status bar: the word, the key that acts, and how loud. */
export interface AlertView {
  kind: 'rolling-back' | 'countdown' | 'approval' | 'recommended' | 'firing' | 'pending' | 'rolled-back' | 'rollback-failed';
  /** One line, in words (NO_COLOR loses nothing). */
  text: string;
  /** The key that acts on it, shown as "KEY what" (absent in replay and when nothing can be done). */
  key?: string;
}

/**
 * What needs the operator's eyes now, most urgent first: a running rollback (and whether it is still
 * stopping the deploy), an auto countdown, a request waiting for a second approver, a recommendation (or a level that fires again after it
 * ran), then firing and pending triggers and the last rollback's outcome together.
 */
export function selectAlert(state: SessionState, now: number): AlertView | undefined {
  const r = state.rollback;
  const run = r.run;
  if (run && rollbackInProgress(state))
    return {
      kind: 'rolling-back',
      text: run.graceMs !== undefined && !run.waited ? `STOPPING THE DEPLOY, then ROLLING BACK ${run.level}` : `ROLLING BACK ${run.level}`,
      key: 'x abort',
    };
  const rec = r.recommended;
  if (rec?.countdownUntil !== undefined)
    return {
      kind: 'countdown',
      text: `AUTO ROLLBACK ${rec.level} in ${Math.max(0, Math.ceil((rec.countdownUntil - now) / 1000))}s`,
      key: 'c cancel',
    };
  // A decision the operator made waits for a second person: said before a recommendation, which it may answer.
  const asked = pendingOf(state);
  if (asked)
    return {
      kind: 'approval',
      text: `WAITING FOR A 2ND APPROVER: ${subjectText(asked.subject)} (request ${asked.id}, by ${asked.operator})`,
      key: 'esc withdraw',
    };
  const ran = rec ? levelRuns(state, rec.level).at(-1) : undefined;
  if (rec && ran)
    return {
      kind: 'recommended',
      text: `STILL FIRING ${rec.trigger ?? ''} after rollback ${rec.level} (${ranText(state, ran)})`,
      key: `R run ${rec.level} again`,
    };
  if (rec)
    return {
      kind: 'recommended',
      text: `ROLL BACK? ${rec.level}${rec.trigger ? ` (${rec.trigger})` : ''}`,
      key: `R roll back ${rec.level}`,
    };
  const parts: string[] = [];
  let kind: AlertView['kind'] | undefined;
  if (run?.finishedAt !== undefined || run?.aborted) {
    parts.push(
      run.ok ? `ROLLED BACK ${run.level} in ${formatDuration(run.ms ?? 0)}` : `ROLLBACK ${run.level} ${run.aborted ? 'ABORTED' : 'FAILED'}`,
    );
    kind = run.ok ? 'rolled-back' : 'rollback-failed';
  }
  const triggers = state.session?.runbook.rollback?.triggers ?? [];
  const firing = triggers.filter((t) => state.triggers[t.id]?.state === 'firing');
  if (firing.length) {
    parts.push(`FIRING ${firing.map((t) => t.id).join(', ')}`);
    kind ??= 'firing';
  }
  const pending = triggers.map((t) => ({ t, ts: state.triggers[t.id] })).filter((x) => x.ts?.state === 'pending' && x.t.for !== undefined);
  if (pending.length) {
    const soonest = pending.map((x) => ({ id: x.t.id, at: (x.ts!.since ?? now) + x.t.for! })).sort((a, b) => a.at - b.at)[0];
    parts.push(`PENDING ${soonest.id}: fires in ${formatElapsed(Math.max(0, soonest.at - now)).replace(/^T\+/, '')}`);
    kind ??= 'pending';
  }
  return kind ? { kind, text: parts.join(' · ') } : undefined;
}
