/** The pure fold of events into session state. No I/O, no clock, no randomness. */
import type { ApprovalSubject, SessionEvent } from './events.js';
import { sortSeries } from './select-health.js';
import {
  initialState,
  RECENT_SAMPLES,
  type CommandState,
  type PanelState,
  type RollbackRun,
  type SessionState,
  type StepState,
} from './state.js';

/** Applies one event. Returns a new state; the old one is never mutated. */
export function reduce(state: SessionState, e: SessionEvent): SessionState {
  const s: SessionState = { ...state, t: Math.max(state.t, e.t), count: state.count + 1 };
  switch (e.type) {
    case 'session/started':
      return {
        ...initialState(),
        t: e.t,
        count: s.count,
        session: {
          id: e.sessionId,
          runbook: e.runbook,
          runbookPath: e.runbookPath,
          operator: e.operator,
          mode: e.mode,
          startedAt: e.t,
          resumedAt: [],
        },
      };
    case 'session/resumed':
      if (!s.session) return s;
      {
        const { endedAt: _e, outcome: _o, endReason: _r, ...open } = s.session;
        const rollback = s.rollback.run ? { ...s.rollback, run: interruptRun(s.rollback.run, e.t) } : s.rollback;
        return {
          ...s,
          // Resumed with an edited runbook (accepted by the operator): the session follows it from here.
          session: {
            ...open,
            ...(e.runbook ? { runbook: e.runbook, runbookPath: e.runbookPath ?? open.runbookPath } : {}),
            resumedAt: [...open.resumedAt, e.t],
          },
          commands: markUnknown(s.commands, e.t),
          steps: failRunning(s.steps, e.t),
          rollback,
          // The console that held a pending request is gone: asking again is the operator's call.
          ...(s.approvals ? { approvals: {} } : {}),
        };
      }
    case 'session/ended':
      return s.session
        ? { ...s, session: { ...s.session, endedAt: e.t, outcome: e.outcome, ...(e.reason ? { endReason: e.reason } : {}) } }
        : s;

    case 'metric/sampled': {
      const { error: _cleared, ...p } = s.panels[e.panel] ?? {};
      const sample = {
        t: e.t,
        at: e.at,
        series: e.series,
        ...(e.baseline ? { baseline: e.baseline } : {}),
        ...(e.warnings?.length ? { warnings: e.warnings } : {}),
      };
      const top = sortSeries(e.series)[0]?.value;
      const base = e.baseline && sortSeries(e.baseline)[0]?.value;
      const recent =
        top === undefined
          ? p.recent
          : [...since(p.recent, p.range), { at: e.at, value: top, ...(base !== undefined ? { baseline: base } : {}) }].slice(
              -RECENT_SAMPLES,
            );
      return { ...s, panels: { ...s.panels, [e.panel]: { ...p, sample, ...(recent?.length ? { recent } : {}) } } };
    }
    case 'metric/failed': {
      const p = s.panels[e.panel] ?? {};
      const since = p.error?.since ?? e.t;
      return { ...s, panels: { ...s.panels, [e.panel]: { ...p, error: { t: e.t, kind: e.kind, message: e.message, since } } } };
    }
    case 'metric/range': {
      const { recent: kept, ...p } = s.panels[e.panel] ?? {};
      const recent = since(kept, { points: e.points });
      return {
        ...s,
        panels: {
          ...s.panels,
          [e.panel]: {
            ...p,
            range: { t: e.t, from: e.from, step: e.step, points: e.points, ...(e.baseline ? { baseline: e.baseline } : {}) },
            ...(recent.length ? { recent } : {}),
          },
        },
      };
    }
    case 'alerts/updated':
      return { ...s, alerts: { t: e.t, list: e.alerts } };
    case 'alerts/failed':
      return { ...s, alerts: { t: e.t, list: s.alerts?.list ?? [], error: e.message } };

    case 'step/started': {
      const prev = s.steps[e.step];
      const step: StepState = {
        status: 'running',
        attempts: (prev?.attempts ?? 0) + 1,
        startedAt: e.t,
        cmds: [],
        ...(e.operator ? { operator: e.operator } : {}),
      };
      return { ...s, steps: { ...s.steps, [e.step]: step } };
    }
    case 'step/passed':
      return patchStep(s, e.step, { status: 'passed', endedAt: e.t, ...(e.detail ? { detail: e.detail } : {}) });
    case 'step/failed':
      return patchStep(s, e.step, { status: 'failed', endedAt: e.t, error: e.error });
    case 'step/skipped':
      return patchStep(s, e.step, { status: 'skipped', endedAt: e.t, reason: e.reason, operator: e.operator });

    case 'command/started': {
      const cmd: CommandState = {
        id: e.cmd,
        step: e.step,
        host: e.host,
        command: e.command,
        startedAt: e.t,
        ...(e.level ? { level: e.level } : {}),
      };
      const next = { ...s, commands: { ...s.commands, [e.cmd]: cmd } };
      if (e.level) return withRun(next, e.level, (run) => addRunCmd(run, e.step, e.cmd));
      const st = s.steps[e.step];
      return st ? { ...next, steps: { ...s.steps, [e.step]: { ...st, cmds: [...st.cmds, e.cmd] } } } : next;
    }
    case 'command/output':
      // Only t and count move: the tail is OutputTails' (output-tails.ts), so this costs the same at any number of commands.
      return s;
    case 'command/exited': {
      const c = s.commands[e.cmd];
      if (!c) return s;
      const done: CommandState = {
        ...c,
        endedAt: e.t,
        code: e.code,
        ...(e.signal ? { signal: e.signal } : {}),
        ...(e.error ? { error: e.error } : {}),
      };
      return { ...s, commands: { ...s.commands, [e.cmd]: done } };
    }

    case 'gate/decided':
      return {
        ...withoutRequests(s, (x) => x.kind === 'gate' && x.phase === e.phase),
        gates: {
          ...s.gates,
          [e.phase]: {
            decision: e.decision,
            operator: e.operator,
            t: e.t,
            ...(e.approvedBy ? { approvedBy: e.approvedBy } : {}),
            ...(e.reason ? { reason: e.reason } : {}),
          },
        },
      };

    case 'trigger/pending':
    case 'trigger/firing':
    case 'trigger/resolved': {
      const prev = s.triggers[e.trigger];
      const state = e.type === 'trigger/pending' ? 'pending' : e.type === 'trigger/firing' ? 'firing' : 'inactive';
      const firedAt = e.type === 'trigger/firing' ? e.t : e.type === 'trigger/resolved' ? undefined : prev?.firedAt;
      const ts = {
        state,
        value: e.value,
        check: e.check,
        t: e.t,
        ...(state !== 'inactive' ? { since: e.since } : {}),
        ...(firedAt !== undefined ? { firedAt } : {}),
      } as const;
      const next = { ...s, triggers: { ...s.triggers, [e.trigger]: ts } };
      // The condition stopped holding: its recommendation (and any auto countdown) ends with it.
      const quiet = e.type === 'trigger/resolved' ? clearDismissals(next) : next;
      return e.type === 'trigger/resolved' && s.rollback.recommended?.trigger === e.trigger
        ? { ...quiet, rollback: withoutRecommendation(quiet.rollback) }
        : quiet;
    }
    case 'trigger/rearmed': {
      const prev = s.triggers[e.trigger];
      if (!prev) return s;
      const { since: _s, firedAt: _f, ...rest } = prev;
      return clearDismissals({ ...s, triggers: { ...s.triggers, [e.trigger]: { ...rest, state: 'inactive', t: e.t } } });
    }

    case 'rollback/recommended':
      return {
        ...s,
        rollback: {
          ...s.rollback,
          recommended: {
            level: e.level,
            reason: e.reason,
            t: e.t,
            ...(e.trigger ? { trigger: e.trigger } : {}),
            ...(e.countdownUntil !== undefined ? { countdownUntil: e.countdownUntil } : {}),
          },
        },
      };
    case 'rollback/dismissed': {
      // The operator's no covers the level, whichever trigger recommends it next, until they are all quiet.
      const dismissed = { ...s.rollback.dismissed, [e.level]: { t: e.t, operator: e.operator } };
      const rollback = s.rollback.recommended?.level === e.level ? withoutRecommendation(s.rollback) : s.rollback;
      return { ...s, rollback: { ...rollback, dismissed } };
    }
    case 'rollback/confirmed': {
      const level = s.session?.runbook.rollback?.levels.find((l) => l.id === e.level);
      const steps: RollbackRun['steps'] = {};
      for (const st of level?.steps ?? []) steps[st.id] = { status: 'pending', cmds: [] };
      const run: RollbackRun = {
        level: e.level,
        operator: e.operator,
        auto: e.auto ?? false,
        confirmedAt: e.t,
        steps,
        ...(e.graceMs !== undefined ? { graceMs: e.graceMs } : {}),
      };
      const history = s.rollback.run ? [...s.rollback.history, s.rollback.run] : s.rollback.history;
      const keep = s.rollback.recommended && s.rollback.recommended.level !== e.level;
      const { [e.level]: _answered, ...dismissed } = s.rollback.dismissed ?? {};
      return {
        ...withoutRequests(s, (x) => x.kind === 'rollback' && x.level === e.level),
        rollback: {
          history,
          run,
          ...(keep ? { recommended: s.rollback.recommended } : {}),
          ...(Object.keys(dismissed).length ? { dismissed } : {}),
          ...(s.rollback.readiness ? { readiness: s.rollback.readiness } : {}),
        },
      };
    }
    case 'rollback/step':
      return withRun(s, e.level, (run) => {
        const prev = run.steps[e.step] ?? { status: 'pending', cmds: [] };
        const cmds = e.status === 'started' ? [] : prev.cmds;
        return { ...run, steps: { ...run.steps, [e.step]: { status: e.status, t: e.t, cmds, ...(e.error ? { error: e.error } : {}) } } };
      });
    case 'rollback/waited':
      return withRun(s, e.level, (run) => ({ ...run, waited: { ms: e.ms, running: e.running } }));
    case 'rollback/finished': {
      // The level ran: a recommendation of it is answered (a trigger that still fires re-arms and must hold again).
      const done = withRun(s, e.level, (run) => ({ ...run, finishedAt: e.t, ok: e.ok, ms: e.ms }));
      return done.rollback.recommended?.level === e.level ? { ...done, rollback: withoutRecommendation(done.rollback) } : done;
    }
    case 'rollback/aborted':
      return withRun(s, e.level, (run) => ({
        ...run,
        aborted: { operator: e.operator, t: e.t, ...(e.reason ? { reason: e.reason } : {}) },
      }));
    case 'rollback/readiness': {
      const readiness = { ...s.rollback.readiness };
      for (const l of e.levels) readiness[l.level] = { ...l, t: e.t };
      return { ...s, rollback: { ...s.rollback, readiness } };
    }

    case 'note/added':
      return { ...s, notes: [...s.notes, { t: e.t, operator: e.operator, text: e.text }] };
    case 'mark/added':
      // A script's line for the timeline: the story tells it; the state has nothing to change.
      return s;
    case 'approval/requested': {
      const p = { id: e.id, subject: e.subject, operator: e.operator, t: e.t, ...(e.reason ? { reason: e.reason } : {}) };
      return { ...s, approvals: { ...s.approvals, [e.id]: p } };
    }
    case 'approval/decided': {
      if (!s.approvals?.[e.id]) return s;
      const { [e.id]: _answered, ...rest } = s.approvals;
      return { ...s, approvals: rest };
    }
    case 'notify/delivered':
    case 'notify/failed':
      // A notification's fate is the journal's and the timeline's; nothing on screen depends on it.
      return s;
    case 'judge/verdict': {
      const { type: _type, t, ...j } = e;
      const prev = s.judge;
      // The same verdict goes on (a marginal canary is not asked about again on every judgment).
      if (prev && prev.latest.verdict === j.verdict) return { ...s, judge: { ...prev, latest: { ...j, t } } };
      return { ...s, judge: { latest: { ...j, t }, since: t } };
    }
    case 'judge/decided':
      if (!s.judge) return s;
      return {
        ...s,
        judge: {
          ...s.judge,
          decided: { decision: e.decision, operator: e.operator, t: e.t, score: e.score, ...(e.reason ? { reason: e.reason } : {}) },
        },
      };
    default:
      return assertNever(e, s);
  }
}

/** Folds a list of events from the initial state. */
export function reduceAll(events: Iterable<SessionEvent>, from: SessionState = initialState()): SessionState {
  let s = from;
  for (const e of events) s = reduce(s, e);
  return s;
}

/** Dismissals of levels that no pending or firing trigger recommends any more: the next episode is a new decision. */
function clearDismissals(s: SessionState): SessionState {
  const d = s.rollback.dismissed;
  if (!d) return s;
  const busy = new Set(
    (s.session?.runbook.rollback?.triggers ?? [])
      .filter((t) => t.recommend && s.triggers[t.id] && s.triggers[t.id].state !== 'inactive')
      .map((t) => t.recommend!),
  );
  const kept = Object.fromEntries(Object.entries(d).filter(([level]) => busy.has(level)));
  if (Object.keys(kept).length === Object.keys(d).length) return s;
  const { dismissed: _d, ...rest } = s.rollback;
  return { ...s, rollback: Object.keys(kept).length ? { ...rest, dismissed: kept } : rest };
}

/** The state without the pending requests `answered` says a decision made moot (a gate decided, a level confirmed). */
function withoutRequests(s: SessionState, answered: (x: ApprovalSubject) => boolean): SessionState {
  if (!s.approvals) return s;
  const kept = Object.fromEntries(Object.entries(s.approvals).filter(([, p]) => !answered(p.subject)));
  return Object.keys(kept).length === Object.keys(s.approvals).length ? s : { ...s, approvals: kept };
}

function withoutRecommendation(r: SessionState['rollback']): SessionState['rollback'] {
  const { recommended: _r, ...rest } = r;
  return rest;
}

function patchStep(s: SessionState, id: string, patch: Partial<StepState>): SessionState {
  const prev: StepState = s.steps[id] ?? { status: 'pending', attempts: 0, cmds: [] };
  return { ...s, steps: { ...s.steps, [id]: { ...prev, ...patch } } };
}

function withRun(s: SessionState, level: string, f: (run: RollbackRun) => RollbackRun): SessionState {
  const run = s.rollback.run;
  return run && run.level === level ? { ...s, rollback: { ...s.rollback, run: f(run) } } : s;
}

function addRunCmd(run: RollbackRun, step: string, cmd: string): RollbackRun {
  const st = run.steps[step] ?? { status: 'started' as const, cmds: [] };
  return { ...run, steps: { ...run.steps, [step]: { ...st, cmds: [...st.cmds, cmd] } } };
}

/** Commands still running when the console restarted: their outcome is unknown, and they are never re-run. */
function markUnknown(cmds: SessionState['commands'], t: number): SessionState['commands'] {
  let out = cmds;
  for (const [id, c] of Object.entries(cmds))
    if (c.endedAt === undefined) out = { ...out, [id]: { ...c, endedAt: t, code: null, error: UNKNOWN } };
  return out;
}

const UNKNOWN = 'outcome unknown (console restarted)';

/** Steps that were running: failed with an unknown outcome, so the operator can retry or skip them (never automatically). */
function failRunning(steps: SessionState['steps'], t: number): SessionState['steps'] {
  let out = steps;
  for (const [id, st] of Object.entries(steps))
    if (st.status === 'running') out = { ...out, [id]: { ...st, status: 'failed', endedAt: t, error: UNKNOWN } };
  return out;
}

/** A rollback cut short by the restart: it stays unfinished, marked interrupted, and never continues by itself. */
function interruptRun(run: RollbackRun, t: number): RollbackRun {
  if (run.finishedAt !== undefined || run.aborted || run.interrupted !== undefined) return run;
  const steps = { ...run.steps };
  for (const [id, st] of Object.entries(steps)) if (st.status === 'started') steps[id] = { ...st, status: 'failed', t, error: UNKNOWN };
  return { ...run, steps, interrupted: t };
}

function assertNever(e: never, s: SessionState): SessionState {
  void e;
  return s;
}

/** The recent samples taken after the window's last point (all of them without a window). */
function since(
  recent: PanelState['recent'],
  range: Pick<NonNullable<PanelState['range']>, 'points'> | undefined,
): NonNullable<PanelState['recent']> {
  const last = range?.points.length ? range.points[range.points.length - 1][0] : -Infinity;
  return (recent ?? []).filter((x) => x.at > last);
}
