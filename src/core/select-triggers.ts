/** Triggers as the panes show them, and the recommended level (most severe firing, then first fired). */
import type { Severity } from '../runbook/schema.js';
import type { SampleValue } from './events.js';
import type { SessionState } from './state.js';

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, major: 1, minor: 2, warning: 3 };

export interface TriggerRow {
  id: string;
  panel: string;
  check: string;
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
  return (state.session?.runbook.rollback?.triggers ?? []).map((t) => {
    const ts = state.triggers[t.id];
    return {
      id: t.id,
      panel: t.when.panel,
      check: t.when.check.text,
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
