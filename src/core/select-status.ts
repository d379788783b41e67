/** The status bar: runbook, T+elapsed, Prometheus state, SSH connections, outcome. */
import { formatElapsed } from '../runbook/duration.js';
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
