/** The rollback pane's view: levels, the recommendation and why, and the live run per host. */
import type { LevelReadiness } from './events.js';
import type { RollbackRun, SessionState } from './state.js';
import { formatElapsed } from '../runbook/duration.js';
import { selectFiringTriggers, triggerReason } from './select-triggers.js';
import { lastCall } from './last-call.js';

export interface LevelRow {
  id: string;
  title: string;
  expectedMs?: number;
  recommended: boolean;
  steps: { id: string; title: string }[];
  /** The host groups its `run` steps touch, in order, with how many hosts each holds. */
  groups: { group: string; hosts: number }[];
  /** True when a step runs a command on this machine (`local`). */
  local: boolean;
  /** Its hosts connected ahead of a rollback, as last reported (absent before the first report, and in journals from before it). */
  readiness?: LevelReadiness;
  /** How its latest run this session went ("started T+01:30, OK"), when it ran. */
  lastRun?: string;
}

export interface HostProgress {
  cmd: string;
  step: string;
  host: string;
  status: 'queued' | 'running' | 'ok' | 'failed' | 'unknown';
  elapsedMs: number;
  code?: number | null;
  error?: string;
}

export interface RollbackView {
  levels: LevelRow[];
  recommended?: { level: string; trigger?: string; reason: string; t: number; countdownUntil?: number };
  run?: {
    level: string;
    operator: string;
    confirmedAt: number;
    status: 'running' | 'ok' | 'failed' | 'aborted' | 'interrupted';
    elapsedMs: number;
    expectedMs?: number;
    steps: { id: string; title: string; status: string; error?: string }[];
    hosts: HostProgress[];
    /** While the rollback waits for the deploy it cancelled: until when at most, and the deploy commands still running. */
    stopping?: { until: number; running: { cmd: string; host: string }[] };
    /** Deploy commands that were still running when the wait ended (the rollback went on anyway). */
    leftRunning?: { host: string }[];
  };
}

/** The rollback pane at `now`. */
function computeRollback(state: SessionState, now: number): RollbackView {
  const levels = state.session?.runbook.rollback?.levels ?? [];
  const rec = state.rollback.recommended ?? recommendation(state);
  const view: RollbackView = {
    levels: levels.map((l) => ({
      id: l.id,
      title: l.title,
      recommended: rec?.level === l.id,
      steps: l.steps.map((s) => ({ id: s.id, title: s.title })),
      groups: [...new Set(l.steps.flatMap((s) => (s.run ? [s.run.on] : [])))].map((group) => ({
        group,
        hosts: state.session?.runbook.hosts?.[group]?.length ?? 0,
      })),
      local: l.steps.some((s) => s.local !== undefined),
      ...(l.expected !== undefined ? { expectedMs: l.expected } : {}),
      ...(state.rollback.readiness?.[l.id] ? { readiness: state.rollback.readiness[l.id] } : {}),
      ...lastRunOf(state, l.id),
    })),
    ...(rec ? { recommended: rec } : {}),
  };
  const run = state.rollback.run;
  if (run) {
    const level = levels.find((l) => l.id === run.level);
    const hosts: HostProgress[] = [];
    const rb = state.session?.runbook;
    for (const st of level?.steps ?? []) {
      const stepRun = run.steps[st.id];
      const seen = new Set<string>();
      for (const id of stepRun?.cmds ?? []) {
        const c = state.commands[id];
        if (!c) continue;
        seen.add(c.host);
        const status =
          c.endedAt === undefined
            ? 'running'
            : c.error?.startsWith('outcome unknown')
              ? 'unknown'
              : c.code === 0 && !c.error
                ? 'ok'
                : 'failed';
        hosts.push({
          cmd: id,
          step: st.id,
          host: c.host,
          status,
          elapsedMs: Math.max(0, (c.endedAt ?? now) - c.startedAt),
          ...(c.code !== undefined ? { code: c.code } : {}),
          ...(c.error ? { error: c.error } : {}),
        });
      }
      // Hosts of a running (or not yet started) step that have no command yet are queued.
      const open = !stepRun || stepRun.status === 'pending' || stepRun.status === 'started';
      if (st.run && open && !run.aborted && run.finishedAt === undefined && run.interrupted === undefined)
        for (const h of rb?.hosts?.[st.run.on] ?? []) {
          const name = h.port !== undefined ? `${h.host}:${h.port}` : h.host;
          if (!seen.has(name)) hosts.push({ cmd: '', step: st.id, host: name, status: 'queued', elapsedMs: 0 });
        }
    }
    const status = run.aborted
      ? 'aborted'
      : run.finishedAt !== undefined
        ? run.ok
          ? 'ok'
          : 'failed'
        : run.interrupted !== undefined
          ? 'interrupted'
          : 'running';
    view.run = {
      level: run.level,
      operator: run.operator,
      confirmedAt: run.confirmedAt,
      status,
      // The panes' clock is cut to the second: never show a run as having started in the future.
      elapsedMs: Math.max(0, (run.finishedAt ?? run.interrupted ?? now) - run.confirmedAt),
      steps: (level?.steps ?? []).map((s) => ({
        id: s.id,
        title: s.title,
        status: run.steps[s.id]?.status ?? 'pending',
        ...(run.steps[s.id]?.error ? { error: run.steps[s.id].error } : {}),
      })),
      hosts,
      ...(level?.expected !== undefined ? { expectedMs: level.expected } : {}),
      ...(run.graceMs !== undefined && run.waited === undefined && status === 'running'
        ? {
            stopping: {
              until: run.confirmedAt + run.graceMs,
              running: Object.values(state.commands)
                .filter((c) => c.endedAt === undefined && c.level === undefined)
                .map((c) => ({ cmd: c.id, host: c.host })),
            },
          }
        : {}),
      ...(run.waited?.running.length ? { leftRunning: run.waited.running.map((r) => ({ host: r.host })) } : {}),
    };
  }
  return view;
}

/** The level the firing triggers recommend when no explicit recommendation event exists. */
function recommendation(state: SessionState): RollbackView['recommended'] {
  const top = selectFiringTriggers(state).find((t) => t.recommend);
  if (!top?.recommend) return undefined;
  // Already acted on: a rollback of that level was confirmed after the trigger fired.
  const run = state.rollback.run;
  if (run && run.level === top.recommend && run.confirmedAt >= (top.firedAt ?? 0)) return undefined;
  // Dismissed by the operator: the status bar says FIRING, and so does the pane (no stale RECOMMENDED).
  if (state.rollback.dismissed?.[top.recommend]) return undefined;
  const rb = state.session?.runbook;
  const def = rb?.rollback?.triggers?.find((t) => t.id === top.id);
  return {
    level: top.recommend,
    trigger: top.id,
    reason: def
      ? triggerReason(
          def,
          rb?.health?.find((p) => p.id === def.when.panel),
          top.value,
        )
      : `${top.id}: ${top.panel} ${top.reading}`,
    t: top.firedAt ?? state.t,
  };
}

function lastRunOf(state: SessionState, level: string): { lastRun?: string } {
  const last = levelRuns(state, level).at(-1);
  return last ? { lastRun: ranText(state, last) } : {};
}

/** Memoized on (state, now): results are read-only. */
export const selectRollback = lastCall(computeRollback);

/** Every run of a level this session, oldest first. */
export function levelRuns(state: SessionState, level: string): RollbackRun[] {
  const r = state.rollback;
  return [...r.history, ...(r.run ? [r.run] : [])].filter((x) => x.level === level);
}

/** A run's result in a word or two. */
export function runResult(run: RollbackRun): string {
  if (run.aborted) return 'aborted';
  if (run.finishedAt !== undefined) return run.ok ? 'OK' : 'failed';
  return run.interrupted !== undefined ? 'interrupted' : 'running';
}

/** When a run started and how it went, as every "already ran" message says it: "started T+01:30, OK". */
export function ranText(state: SessionState, run: RollbackRun): string {
  return `started ${formatElapsed(run.confirmedAt - (state.session?.startedAt ?? 0))}, ${runResult(run)}`;
}

/** A rollback was confirmed and has not ended (finished, aborted, or cut short by a restart). */
export function rollbackInProgress(state: SessionState): boolean {
  const run = state.rollback.run;
  return run !== undefined && run.finishedAt === undefined && !run.aborted && run.interrupted === undefined;
}
