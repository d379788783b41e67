/**
 * The console's own series (`cutover_*`), in a registry of their own. Gauges are computed from the
 * session's state when Prometheus scrapes (collect callbacks): a scrape costs a walk over the
 * runbook, the console pays nothing between scrapes, and a value can never be left behind by an
 * event that was missed. Each gauge is reset before it is filled, so a label set that no longer
 * holds (a rollback that finished, a trigger of a runbook that changed on resume) disappears.
 *
 * States are one-hot (`cutover_phase_state{phase,state}` is 1 for the phase's state and 0 for the
 * others, as kube-state-metrics does for pod phases): an alerting rule reads
 * `cutover_phase_state{state="failed"} == 1`, with no table of codes to remember. Trigger states
 * are a code, 0 inactive, 1 pending, 2 firing, because they are ordered: `>= 1` is "pending or worse".
 *
 * No default Node metrics: the series describe the deploy, Prometheus's own `up` says whether the
 * console answers, and the default collectors would add an event-loop timer to the console.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { RollbackRun, SessionState } from '../core/state.js';
import type { PhaseStatus } from '../core/select-checklist.js';
import { selectChecklist } from '../core/select-checklist.js';
import { rollbackInProgress } from '../core/select-rollback.js';

/** What the series are computed from; undefined until the session exists. */
export interface MetricsSource {
  state(): SessionState;
  now(): number;
  /** Open SSH connections. */
  connections(): number;
  /** Why the journal cannot write now, or undefined while it records. */
  notRecording(): string | undefined;
}

/** The series, and the two counters fed from outside the state. */
export interface SessionSeries {
  registry: Registry;
  /** The journal started failing (a new failure; retries of the same one are not counted). */
  journalFailed(): void;
  /** An event was folded: counts those the state does not keep (notification failures). */
  event(e: { type: string }): void;
}

const PHASE_STATES: readonly PhaseStatus[] = ['locked', 'pending', 'running', 'failed', 'gate', 'done', 'no-go'];
const STEP_STATES = ['pending', 'running', 'passed', 'failed', 'skipped'] as const;
const GATE_DECISIONS = ['undecided', 'go', 'no-go'] as const;
const TRIGGER_CODES = { inactive: 0, pending: 1, firing: 2 } as const;
const ROLLBACK_OUTCOMES = ['ok', 'failed', 'aborted', 'interrupted'] as const;

/** Builds the registry over `source()`; while it returns undefined (before the session starts) the labelled series are absent and the others 0. */
export function sessionSeries(source: () => MetricsSource | undefined): SessionSeries {
  const registry = new Registry();
  const registers = [registry];
  /** A gauge filled from the state at each scrape. */
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[], fill: (g: Gauge<L>, s: MetricsSource) => void) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        const s = source();
        if (s) fill(this, s);
      },
    });

  gauge(
    'cutover_session_info',
    'The session: runbook name, operator, session id, mode (live or demo); always 1',
    ['runbook', 'operator', 'session_id', 'mode'],
    (g, s) => {
      const x = s.state().session;
      if (x) g.set({ runbook: x.runbook.name, operator: x.operator, session_id: x.id, mode: x.mode }, 1);
    },
  );
  gauge('cutover_session_start_time_seconds', 'When the session started (unix seconds)', [], (g, s) => {
    const x = s.state().session;
    if (x) g.set(x.startedAt / 1000);
  });
  gauge('cutover_last_event_time_seconds', 'When the latest event happened (unix seconds)', [], (g, s) => {
    if (s.state().count) g.set(s.state().t / 1000);
  });
  gauge(
    'cutover_phase_state',
    'Each phase: 1 for its state, 0 for the others (locked, pending, running, failed, gate, done, no-go)',
    ['phase', 'state'],
    (g, s) => {
      for (const p of selectChecklist(s.state(), s.now()))
        for (const st of PHASE_STATES) g.set({ phase: p.id, state: st }, p.status === st ? 1 : 0);
    },
  );
  gauge(
    'cutover_step_state',
    'Each step: 1 for its state, 0 for the others (pending, running, passed, failed, skipped)',
    ['phase', 'step', 'state'],
    (g, s) => {
      for (const p of selectChecklist(s.state(), s.now()))
        for (const step of p.steps)
          for (const st of STEP_STATES) g.set({ phase: p.id, step: step.id, state: st }, step.status === st ? 1 : 0);
    },
  );
  gauge(
    'cutover_gate_decision',
    "Each phase's gate: 1 for its decision, 0 for the others (undecided, go, no-go)",
    ['phase', 'decision'],
    (g, s) => {
      const st = s.state();
      for (const p of st.session?.runbook.phases ?? []) {
        if (!p.gate) continue;
        const d = st.gates[p.id]?.decision ?? 'undecided';
        for (const x of GATE_DECISIONS) g.set({ phase: p.id, decision: x }, d === x ? 1 : 0);
      }
    },
  );
  gauge(
    'cutover_trigger_state',
    'Each rollback trigger: 0 inactive, 1 pending (condition holds, for: not yet), 2 firing',
    ['trigger', 'severity'],
    (g, s) => {
      const st = s.state();
      for (const t of st.session?.runbook.rollback?.triggers ?? [])
        g.set({ trigger: t.id, severity: t.severity }, TRIGGER_CODES[st.triggers[t.id]?.state ?? 'inactive']);
    },
  );
  gauge('cutover_rollback_recommended', 'Each rollback level: 1 while a trigger recommends it', ['level'], (g, s) => {
    const st = s.state();
    for (const l of levels(st)) g.set({ level: l }, st.rollback.recommended?.level === l ? 1 : 0);
  });
  gauge(
    'cutover_rollback_in_progress',
    'Each rollback level: 1 while it runs (confirmed, not finished, aborted or interrupted)',
    ['level'],
    (g, s) => {
      const st = s.state();
      const running = rollbackInProgress(st) ? st.rollback.run?.level : undefined;
      for (const l of levels(st)) g.set({ level: l }, running === l ? 1 : 0);
    },
  );
  gauge(
    'cutover_rollback_hosts_ready',
    'Each rollback level: its hosts connected ahead of a rollback (the warm pool), as last reported',
    ['level'],
    (g, s) => {
      for (const [level, r] of Object.entries(s.state().rollback.readiness ?? {})) g.set({ level }, r.ready);
    },
  );
  gauge('cutover_rollback_hosts', 'Each rollback level: the hosts it touches (ready / this = the warm pool ready)', ['level'], (g, s) => {
    for (const [level, r] of Object.entries(s.state().rollback.readiness ?? {})) g.set({ level }, r.total);
  });
  gauge('cutover_journal_not_recording', '1 while the journal cannot write (the console shows NOT RECORDING)', [], (g, s) => {
    g.set(s.notRecording() === undefined ? 0 : 1);
  });
  gauge('cutover_ssh_connections', 'Open SSH connections', [], (g, s) => {
    g.set(s.connections());
  });
  new Counter({
    name: 'cutover_rollbacks_total',
    help: 'Rollback runs that ended, by level and outcome (ok, failed, aborted, interrupted by a restart)',
    labelNames: ['level', 'outcome'] as const,
    registers,
    collect() {
      this.reset();
      const s = source();
      if (!s) return;
      const st = s.state();
      for (const l of levels(st)) for (const o of ROLLBACK_OUTCOMES) this.inc({ level: l, outcome: o }, 0);
      const r = st.rollback;
      for (const run of [...r.history, ...(r.run ? [r.run] : [])]) {
        const o = outcomeOf(run);
        if (o) this.inc({ level: run.level, outcome: o });
      }
    },
  });
  const journalFailures = new Counter({
    name: 'cutover_journal_write_failures_total',
    help: 'Times the journal started failing to write (retries of the same failure are not counted)',
    registers,
  });
  const notifyFailures = new Counter({
    name: 'cutover_notification_failures_total',
    help: 'Notifications whose delivery failed (notify/failed events)',
    registers,
  });
  return {
    registry,
    journalFailed: () => journalFailures.inc(),
    event(e) {
      if (e.type === 'notify/failed') notifyFailures.inc();
    },
  };
}

/** The runbook's rollback level ids. */
function levels(st: SessionState): string[] {
  return (st.session?.runbook.rollback?.levels ?? []).map((l) => l.id);
}

/** How a rollback run ended, or undefined while it runs. */
function outcomeOf(run: RollbackRun): (typeof ROLLBACK_OUTCOMES)[number] | undefined {
  if (run.aborted) return 'aborted';
  if (run.finishedAt !== undefined) return run.ok ? 'ok' : 'failed';
  return run.interrupted !== undefined ? 'interrupted' : undefined;
}
