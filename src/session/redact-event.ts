/**
 * The free text of events that come from outside the exec driver (a Prometheus or Alertmanager
 * error, an alert's labels, a step's failure, what the operator types) goes through the session's
 * redaction before it is journaled, like command output does in the driver. Ids, hosts and
 * operators are left alone: events and state are matched on them.
 */
import type { SessionEvent } from '../core/events.js';
import type { Redactor } from '../drivers/exec/redact.js';

/** The free-text fields of each event type (command events are redacted by the exec driver, on its hot path). */
const TEXT: Partial<Record<SessionEvent['type'], readonly string[]>> = {
  'metric/failed': ['message'],
  'alerts/failed': ['message'],
  'step/passed': ['detail'],
  'step/failed': ['error'],
  'step/skipped': ['reason'],
  'gate/decided': ['reason'],
  'note/added': ['text'],
  'rollback/recommended': ['reason'],
  'rollback/step': ['error'],
  'rollback/aborted': ['reason'],
  'session/ended': ['reason'],
  'mark/added': ['text'],
  'approval/requested': ['reason'],
  'approval/decided': ['reason'],
  'notify/failed': ['error'],
  'judge/decided': ['reason'],
};

/** `e` with its free text redacted; the same object when nothing changed. */
export function redactEvent(e: SessionEvent, r: Redactor): SessionEvent {
  if (e.type === 'alerts/updated')
    return {
      ...e,
      alerts: e.alerts.map((a) => ({
        ...a,
        name: r.text(a.name),
        ...(a.summary !== undefined ? { summary: r.text(a.summary) } : {}),
        labels: Object.fromEntries(Object.entries(a.labels).map(([k, v]) => [k, r.text(v)])),
      })),
    };
  // A judged metric whose query failed carries Prometheus's error text.
  if (e.type === 'judge/verdict' && e.metrics.some((m) => m.error !== undefined))
    return { ...e, metrics: e.metrics.map((m) => (m.error !== undefined ? { ...m, error: r.text(m.error), why: r.text(m.why) } : m)) };
  let out: SessionEvent = e;
  // The sender's command line may carry a token (deploy.sh --token=...): redacted like its text.
  if ((e.type === 'mark/added' || e.type === 'approval/decided') && e.source) {
    const command = r.text(e.source.command);
    if (command !== e.source.command) out = { ...e, source: { ...e.source, command } } as SessionEvent;
  }
  for (const f of TEXT[e.type] ?? []) {
    const v = (e as unknown as Record<string, unknown>)[f];
    if (typeof v !== 'string') continue;
    const w = r.text(v);
    if (w !== v) out = { ...out, [f]: w } as SessionEvent;
  }
  return out;
}
