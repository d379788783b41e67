/** The status bar: runbook, T+elapsed, Prometheus state, SSH connections, outcome. */
import { formatDuration, formatElapsed } from '../runbook/duration.js';
import type { SessionState } from './state.js';
import { selectEndedAs } from './select-outcome.js';

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
  const errors = panels.filter((p) => state.panels[p.id]?.error && (state.panels[p.id]?.error?.t ?? 0) >= (state.panels[p.id]?.sample?.t ?? 0)).length;
  const seen = panels.filter((p) => state.panels[p.id]).length;
  const prometheus = !s?.runbook.prometheus ? 'none' : seen === 0 ? 'waiting' : errors === 0 ? 'ok' : errors === panels.length ? 'down' : 'degraded';
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
  kind: 'rolling-back' | 'countdown' | 'recommended' | 'firing' | 'pending' | 'rolled-back' | 'rollback-failed';
  /** One line, in words (NO_COLOR loses nothing). */
  text: string;
  /** The key that acts on it, shown as "KEY what" (absent in replay and when nothing can be done). */
  key?: string;
}

/** The most urgent of: a running rollback, an auto countdown, a recommendation, a firing or pending trigger, the last rollback's outcome. */
export function selectAlert(state: SessionState, now: number): AlertView | undefined {
  const r = state.rollback;
  const run = r.run;
  if (run && run.finishedAt === undefined && !run.aborted && run.interrupted === undefined) return { kind: 'rolling-back', text: `ROLLING BACK ${run.level}`, key: 'x abort' };
  const rec = r.recommended;
  if (rec?.countdownUntil !== undefined) return { kind: 'countdown', text: `AUTO ROLLBACK ${rec.level} in ${Math.max(0, Math.ceil((rec.countdownUntil - now) / 1000))}s`, key: 'c cancel' };
  if (rec) return { kind: 'recommended', text: `ROLL BACK? ${rec.level}${rec.trigger ? ` (${rec.trigger})` : ''}`, key: `R roll back ${rec.level}` };
  const triggers = state.session?.runbook.rollback?.triggers ?? [];
  const firing = triggers.filter((t) => state.triggers[t.id]?.state === 'firing');
  if (firing.length) return { kind: 'firing', text: `FIRING ${firing.map((t) => t.id).join(', ')}` };
  const pending = triggers.map((t) => ({ t, ts: state.triggers[t.id] })).filter((x) => x.ts?.state === 'pending' && x.t.for !== undefined);
  if (pending.length) {
    const soonest = pending.map((x) => ({ id: x.t.id, at: (x.ts!.since ?? now) + x.t.for! })).sort((a, b) => a.at - b.at)[0];
    return { kind: 'pending', text: `PENDING ${soonest.id}: fires in ${formatElapsed(Math.max(0, soonest.at - now)).replace(/^T\+/, '')}` };
  }
  if (run && run.finishedAt !== undefined) return run.ok ? { kind: 'rolled-back', text: `ROLLED BACK ${run.level} in ${formatDuration(run.ms ?? 0)}` } : { kind: 'rollback-failed', text: `ROLLBACK ${run.level} ${run.aborted ? 'ABORTED' : 'FAILED'}` };
  if (run?.aborted) return { kind: 'rollback-failed', text: `ROLLBACK ${run.level} ABORTED` };
  return undefined;
}
