// What a restart (`run --resume`) does to the state: whatever was in flight has an unknown
// outcome and never continues by itself; a person retries, skips or rolls back again.
import { describe, expect, it } from 'vitest';
import {
  reduceAll,
  refusal,
  selectChecklist,
  selectOutcome,
  selectRollback,
  selectStatus,
  storyOf,
  type SessionEvent,
} from '../../src/core/index.js';
import type { Runbook } from '../../src/runbook/index.js';
import { T0, at, runbook, started } from './fixtures.js';

const crashed: SessionEvent[] = [
  started(),
  at(1, { type: 'step/started', phase: 'pre', step: 'green-health' }) as SessionEvent,
  at(1, { type: 'command/started', cmd: 'g1', step: 'green-health', host: 'app-g1.internal', command: 'curl' }) as SessionEvent,
  at(5, { type: 'rollback/confirmed', level: 'code', operator: 'alice' }) as SessionEvent,
  at(5, { type: 'rollback/step', level: 'code', step: 'activate', status: 'started' }) as SessionEvent,
  at(5, {
    type: 'command/started',
    cmd: 'a1',
    step: 'activate',
    level: 'code',
    host: 'app-b1.internal',
    command: 'deployctl activate v2.0.5',
  }) as SessionEvent,
];
const resumed = [...crashed, at(60, { type: 'session/resumed', operator: 'bob', afterSeq: crashed.length }) as SessionEvent];

describe('session/resumed', () => {
  it('marks commands in flight unknown, fails running steps with that reason, interrupts the rollback', () => {
    const s = reduceAll(resumed);
    expect(s.commands.g1).toMatchObject({ endedAt: T0 + 60_000, code: null, error: 'outcome unknown (console restarted)' });
    expect(s.commands.a1).toMatchObject({ error: 'outcome unknown (console restarted)' });
    expect(s.steps['green-health']).toMatchObject({ status: 'failed', error: 'outcome unknown (console restarted)' });
    expect(s.rollback.run).toMatchObject({
      level: 'code',
      interrupted: T0 + 60_000,
      steps: { activate: { status: 'failed', error: 'outcome unknown (console restarted)' }, undo: { status: 'pending' } },
    });
    expect(s.rollback.run?.finishedAt).toBeUndefined();
    const view = selectRollback(s, T0 + 999_000).run!;
    expect(view).toMatchObject({ status: 'interrupted', elapsedMs: 55_000 });
    expect(view.hosts).toEqual([expect.objectContaining({ host: 'app-b1.internal', status: 'unknown' })]);
  });

  it('leaves finished steps, finished rollbacks and earlier resumes alone', () => {
    const done = reduceAll([...resumed, at(70, { type: 'session/resumed', operator: 'carol', afterSeq: 7 }) as SessionEvent]);
    expect(done.rollback.run?.interrupted).toBe(T0 + 60_000);
    expect(done.session?.resumedAt).toEqual([T0 + 60_000, T0 + 70_000]);
    const finished = reduceAll([
      ...crashed.slice(0, 4),
      at(6, { type: 'rollback/finished', level: 'code', ok: true, ms: 1000 }) as SessionEvent,
      at(9, { type: 'session/resumed', operator: 'bob', afterSeq: 5 }) as SessionEvent,
    ]);
    expect(finished.rollback.run).not.toHaveProperty('interrupted');
  });
});

describe('session/resumed with an edited runbook (--accept-changed-runbook)', () => {
  const edited = (): Runbook => {
    const rb = runbook();
    const pre = rb.phases[0];
    // green-health (in flight at the crash) is gone; the rest of pre stays, a step is added.
    pre.steps = [...pre.steps.filter((s) => s.id !== 'green-health'), { id: 'smoke', title: 'Smoke test', wait: 1000 }];
    return rb;
  };
  const changedAt = (rb: Runbook) =>
    at(60, {
      type: 'session/resumed',
      operator: 'bob',
      afterSeq: crashed.length,
      runbook: rb,
      runbookPath: 'edited.yaml',
      runbookSha256: 'f'.repeat(64),
      runbookChanges: 'phase "pre": step "smoke" added, step "green-health" removed',
    }) as SessionEvent;

  it('replaces the runbook the state follows; a step of the record the runbook lost breaks no selector', () => {
    const s = reduceAll([...crashed, changedAt(edited())]);
    expect(s.session).toMatchObject({ runbookPath: 'edited.yaml' });
    expect(s.session!.runbook.phases[0].steps.map((x) => x.id)).toContain('smoke');
    // The live path refuses such an edit; a journal may still hold one (hostile or older): nothing throws.
    expect(s.steps['green-health']).toMatchObject({ status: 'failed' });
    const rows = selectChecklist(s, T0 + 61_000).flatMap((p) => p.steps.map((x) => x.id));
    expect(rows).toContain('smoke');
    expect(rows).not.toContain('green-health');
    expect(() => selectStatus(s, T0 + 61_000)).not.toThrow();
    expect(() => selectOutcome(s)).not.toThrow();
    expect(refusal(s, { kind: 'run', step: 'green-health' }, T0 + 61_000)).toBeDefined();
  });

  it('a resume without a runbook keeps the one the session started with', () => {
    const s = reduceAll(resumed);
    expect(s.session).toMatchObject({ runbookPath: 'fixtures/runbooks/x.yaml' });
    expect(s.session!.runbook.phases[0].steps.map((x) => x.id)).toContain('green-health');
  });

  it('the timeline shows the resume as a warning that says what changed, and takes step titles from the new runbook', () => {
    const story = storyOf([...crashed, changedAt(edited()), at(61, { type: 'step/started', phase: 'pre', step: 'smoke' }) as SessionEvent]);
    const line = story.find((l) => l.text.startsWith('session resumed'))!;
    expect(line).toMatchObject({
      severity: 'warn',
      text: 'session resumed by bob after event 6; runbook changed: phase "pre": step "smoke" added, step "green-health" removed',
    });
    expect(story.at(-1)?.text).toBe('step smoke started: Smoke test');
  });
});
