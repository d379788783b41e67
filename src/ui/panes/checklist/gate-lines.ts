/** What the gate dialog shows above its keys: the gate's description and the health of the deploy right now. */
import { selectHealth, type HealthRow } from '../../../core/select-health.js';
import type { SessionState } from '../../../core/state.js';
import { fit, line, wrap, type Line } from '../../rows.js';
import { STATUS_MARK } from '../../theme.js';

/** A status in a word, without colour ("…" alone would not read as waiting). */
const mark = (r: HealthRow) => (r.status === 'waiting' ? 'WAITING' : STATUS_MARK[r.status]);

/** Lines of text at most this wide, so the dialog fits an 80-column terminal. */
const WRAP = 70;
/** Panels listed one by one (the ones that are not OK); the rest are counted. */
const LISTED = 4;

/** The description of `phase`'s gate (wrapped), then a health summary evaluated at `now`. */
export function gateLines(state: SessionState, phase: string, now: number): Line[] {
  const gate = state.session?.runbook.phases.find((p) => p.id === phase)?.gate;
  const out: Line[] = [];
  if (gate?.description) {
    for (const l of wrap(gate.description, WRAP)) out.push(line(l));
    out.push(line(''));
  }
  return [...out, ...healthSummary(selectHealth(state, now), state)];
}

/** "Health now: 3 OK, 1 WARN", the panels that are not OK with value and check, and firing alerts. */
export function healthSummary(rows: HealthRow[], state: SessionState): Line[] {
  const firing = state.alerts?.list.length ?? 0;
  const alerts = firing ? `; ${firing} alert${firing === 1 ? '' : 's'} firing` : '';
  if (rows.length === 0) return [line(`Health now: no panels in this runbook${alerts}`, { bold: true })];
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(mark(r), (counts.get(mark(r)) ?? 0) + 1);
  const bad = rows.filter((r) => r.status !== 'ok');
  const head =
    bad.length === 0
      ? `Health now: all ${rows.length} panels OK${alerts}`
      : `Health now: ${[...counts].map(([m, n]) => `${n} ${m}`).join(', ')}${alerts}`;
  const out: Line[] = [line(head, { bold: true })];
  for (const r of bad.slice(0, LISTED)) {
    const check = r.status === 'crit' ? r.crit : r.status === 'warn' ? r.warn : undefined;
    // The value and the check it fails; the why of other states is in the health pane (the dialog stays narrow).
    out.push(fit(line(`  ${mark(r)}  ${r.title}: ${r.text}${check ? ` (${r.status} ${check})` : ''}`), WRAP));
  }
  if (bad.length > LISTED) out.push(line(`  … ${bad.length - LISTED} more not OK (see the health pane)`, { dim: true }));
  return out;
}
