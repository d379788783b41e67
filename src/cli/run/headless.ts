/**
 * `cutover run` without a terminal: steps run in order and the timeline is printed as plain lines.
 * Nobody is there to tick a manual step or decide a gate, so without --yes the run stops there
 * with exit 3; with --yes they are ticked and said go by the operator named on the command line.
 */
import { selectJudge } from '../../core/select-judge.js';
import { timelineLine } from '../../core/select-timeline.js';
import { formatMeasured } from '../../core/format.js';
import { selectFiringTriggers, type TriggerRow } from '../../core/select-triggers.js';
import type { Outcome } from '../../core/events.js';
import { selectOutcome } from '../../core/select-outcome.js';
import type { SessionState } from '../../core/state.js';
import { stepKind } from '../../runbook/schema.js';
import type { Session } from '../../session/session.js';
import { sanitizeLine } from '../../core/controls.js';

/** Exit codes of `cutover run` (DESIGN.md's table). */
export const EXIT = { done: 0, failed: 1, gate: 3, trigger: 5 } as const;

export interface HeadlessOptions {
  yes: boolean;
  out: (s: string) => void;
}

/** Prints every event as it is folded, from the first; returns the unsubscribe function. */
export function printTimeline(session: Session, out: (s: string) => void): () => void {
  let printed = 0;
  const flush = () => {
    const events = session.store.events();
    const start = events.length ? events.get(0).t : 0;
    // Events that left memory before they were printed (a burst between two publishes) come back from the journal.
    events.each(printed, events.length, (e) => {
      const l = timelineLine(e, start);
      out(`${l.clock} ${l.elapsed} ${sanitizeLine(l.text)}\n`);
    });
    printed = events.length;
  };
  const off = session.store.subscribe(flush);
  flush();
  return () => {
    flush();
    off();
  };
}

/** Runs the runbook unattended; resolves with the exit code once the session has ended. */
export async function runHeadless(session: Session, o: HeadlessOptions): Promise<number> {
  const stop = (outcome: Outcome, code: number, why?: string) =>
    session.end(outcome, why).then(() => {
      if (why) o.out(`cutover: ${why}\n`);
      return code;
    });
  // A resumed session that was rolling back never goes on with the deploy unattended.
  if (rollingBack(session.state)) return afterRollback(session, stop);
  // A critical trigger stops the deploy: an auto one's rollback runs as in the console; otherwise the run ends here.
  const critical = async (): Promise<number | undefined> => {
    const t = criticalFiring(session.state);
    if (!t) return undefined;
    // An auto trigger's recommendation follows its firing in the same batch: wait for it before judging.
    if (t.auto && t.recommend)
      await until(session, (s) => rollingBack(s) || s.rollback.recommended !== undefined || criticalFiring(s)?.id !== t.id);
    if (rollingBack(session.state)) return afterRollback(session, stop);
    const rec = session.state.rollback.recommended;
    if (rec?.countdownUntil !== undefined) {
      o.out(
        `cutover: critical trigger '${t.id}' is firing: auto rollback ${rec.level} in ${Math.max(0, Math.ceil((rec.countdownUntil - session.now()) / 1000))}s\n`,
      );
      await until(session, (s) => rollingBack(s) || s.rollback.recommended?.countdownUntil === undefined);
      if (rollingBack(session.state)) return afterRollback(session, stop);
      if (!criticalFiring(session.state)) return undefined;
    }
    const panel = session.state.session?.runbook.health?.find((h) => h.id === t.panel);
    const def = session.state.session?.runbook.rollback?.triggers?.find((x) => x.id === t.id);
    const reading = def ? formatMeasured(t.value, def.when.check, panel?.unit, def.for) : t.reading;
    return stop(
      'failed',
      EXIT.trigger,
      `stopped: critical trigger '${t.id}' is firing (${t.panel} ${reading}); an unattended run does not go on: a person decides, from a terminal`,
    );
  };
  for (const phase of session.state.session?.runbook.phases ?? []) {
    for (const step of phase.steps) {
      const st = () => session.state.steps[step.id]?.status;
      if (st() === 'passed' || st() === 'skipped') continue;
      const stopped = await critical();
      if (stopped !== undefined) return stopped;
      // Failed before a restart (or its outcome is unknown): retrying is a person's call.
      if (st() === 'failed')
        return stop(
          'failed',
          EXIT.failed,
          `step '${step.id}' failed: ${session.state.steps[step.id]?.error ?? ''}; retry or skip it from a terminal`,
        );
      if (stepKind(step) === 'manual' && !o.yes)
        return stop(
          'stopped-at-gate',
          EXIT.gate,
          `stopped at manual step '${step.id}' (${step.title}): it needs a person; run in a terminal, or pass --yes`,
        );
      const refused = session.act(step.id);
      if (refused) return stop('failed', EXIT.failed, `cannot run step '${step.id}': ${refused}`);
      await until(
        session,
        (s) =>
          ['passed', 'failed', 'skipped'].includes(s.steps[step.id]?.status ?? '') || rollingBack(s) || criticalFiring(s) !== undefined,
      );
      if (rollingBack(session.state)) return afterRollback(session, stop);
      const halted = await critical();
      if (halted !== undefined) return halted;
      if (st() === 'failed') return stop('failed', EXIT.failed, `step '${step.id}' failed: ${session.state.steps[step.id]?.error ?? ''}`);
    }
    if (phase.gate && session.state.gates[phase.id]?.decision !== 'go') {
      // --yes never says go while a critical trigger fires.
      const held = await critical();
      if (held !== undefined) return held;
      // An inconclusive canary is decided where the gate is: by a person, or by --yes, journaled.
      const judge = selectJudge(session.state);
      if (judge?.waiting) {
        if (!o.yes)
          return stop(
            'stopped-at-gate',
            EXIT.gate,
            `stopped at gate "${phase.gate.title}": the ${judge.text}: a person decides go / no-go; run in a terminal, or pass --yes`,
          );
        const refused = session.decideJudge('go', 'unattended run (--yes)');
        if (refused) return stop('failed', EXIT.failed, `canary judge: ${refused}`);
        await until(session, (s) => s.judge?.decided !== undefined);
      }
      if (!o.yes)
        return stop(
          'stopped-at-gate',
          EXIT.gate,
          `stopped at gate "${phase.gate.title}": a person decides go / no-go; run in a terminal, or pass --yes`,
        );
      const refused = session.decideGate(phase.id, 'go', 'unattended run (--yes)');
      if (refused) return stop('failed', EXIT.failed, `gate "${phase.gate.title}": ${refused}`);
      // A gate that needs two people waits for the second (--yes speaks for the operator only); a refusal stops here.
      let asked = false;
      await until(session, (s) => {
        const waiting = Object.values(s.approvals ?? {}).some((x) => x.subject.kind === 'gate' && x.subject.phase === phase.id);
        asked ||= waiting;
        return s.gates[phase.id] !== undefined || (asked && !waiting);
      });
      if (session.state.gates[phase.id]?.decision !== 'go')
        return stop('stopped-at-gate', EXIT.gate, `stopped at gate "${phase.gate.title}": the second person did not approve the go`);
    }
  }
  if (rollingBack(session.state)) return afterRollback(session, stop);
  return stop('completed', EXIT.done);
}

/** The most severe firing trigger when it is critical. */
function criticalFiring(s: SessionState): TriggerRow | undefined {
  const top = selectFiringTriggers(s)[0];
  return top?.severity === 'critical' ? top : undefined;
}

function rollingBack(s: SessionState): boolean {
  return s.rollback.run !== undefined;
}

async function afterRollback(session: Session, stop: (o: Outcome, c: number, why?: string) => Promise<number>): Promise<number> {
  await session.rollbackSettled();
  const run = session.state.rollback.run;
  const how =
    run?.interrupted !== undefined && run.finishedAt === undefined
      ? 'interrupted by a restart, outcome unknown (run it again from a terminal if needed)'
      : run?.ok
        ? 'finished'
        : 'did not finish';
  // The run decides: finished ok, failed, aborted, or interrupted by a restart (never continued unattended).
  return stop(selectOutcome(session.state), EXIT.failed, `rolled back (${run?.level}): ${how}`);
}

/** Resolves when the predicate holds on the session's state (checked on every publish). */
export function until(session: Session, pred: (s: SessionState) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (pred(session.state)) return resolve();
    const off = session.store.subscribe(() => {
      if (pred(session.state)) {
        off();
        resolve();
      }
    });
  });
}
