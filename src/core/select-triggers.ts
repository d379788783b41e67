/** Triggers as the panes show them, and the recommended level (most severe firing, then first fired). */
import type { Panel, Severity, Trigger } from '../runbook/schema.js';
import { formatDuration } from '../runbook/duration.js';
import type { SampleValue } from './events.js';
import { formatCheck, formatCompare, formatMeasured } from './format.js';
import type { SessionState } from './state.js';

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, major: 1, minor: 2, warning: 3 };

export interface TriggerRow {
  id: string;
  panel: string;
  /** The condition in the panel's unit: `> 10%`, `ratio > 2×`. */
  check: string;
  /** The last value against the condition, in one unit: `15.5% > 10% for 30s` (`no data > 10%` without a value). */
  reading: string;
  severity: Severity;
  /** The level it recommends; absent for a trigger that only informs. */
  recommend?: string;
  state: 'inactive' | 'pending' | 'firing';
  since?: number;
  firedAt?: number;
  value: SampleValue | null;
  auto: boolean;
}

/** Every trigger of the runbook with its current state. */
export function selectTriggers(state: SessionState): TriggerRow[] {
  const rb = state.session?.runbook;
  return (rb?.rollback?.triggers ?? []).map((t) => {
    const ts = state.triggers[t.id];
    const unit = rb?.health?.find((p) => p.id === t.when.panel)?.unit;
    return {
      id: t.id,
      panel: t.when.panel,
      check: formatCheck(t.when.check, unit),
      reading: formatMeasured(ts?.value ?? null, t.when.check, unit, t.for),
      severity: t.severity,
      ...(t.recommend ? { recommend: t.recommend } : {}),
      state: ts?.state ?? 'inactive',
      value: ts?.value ?? null,
      auto: t.auto ?? false,
      ...(ts?.since !== undefined ? { since: ts.since } : {}),
      ...(ts?.firedAt !== undefined ? { firedAt: ts.firedAt } : {}),
    };
  });
}

/** Firing triggers, most severe first; ties go to the one that fired first. */
export function selectFiringTriggers(state: SessionState): TriggerRow[] {
  return selectTriggers(state)
    .filter((t) => t.state === 'firing')
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || (a.firedAt ?? 0) - (b.firedAt ?? 0));
}

/**
 * Why a trigger fired, value and condition in the panel's unit: `errors-high (critical): Error
 * rate 15.5% > 10% for 30s`; for a ratio `p95-slow (major): p95: canary 4.1s = 21× baseline 194ms > 2× for 1m`.
 */
export function triggerReason(
  tr: Trigger,
  panel: Panel | undefined,
  value: SampleValue | null,
  sides?: { canary: SampleValue; baseline: SampleValue },
): string {
  const title = tr.when.judge !== undefined ? 'canary score' : (panel?.title ?? tr.when.panel);
  const check = tr.when.check;
  const held = tr.for ? ` for ${formatDuration(tr.for)}` : '';
  if (check.ratio && sides)
    return `${tr.id} (${tr.severity}): ${title}: ${formatCompare(sides.canary, sides.baseline, panel?.unit, check, true)}${held}`;
  return `${tr.id} (${tr.severity}): ${title} ${formatMeasured(value, check, panel?.unit, tr.for)}`;
}
