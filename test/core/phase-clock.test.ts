// A phase's clock runs while the phase works and stops when it is done, waits at its gate, or
// failed: a phase that failed after 20 s does not read `failed | 1m12s | late` a minute later.
// No clock ever reads negative, whatever the order of clocks it is read with.
import { describe, expect, it } from 'vitest';
import { reduceAll, selectChecklist, type SessionEvent } from '../../src/core/index.js';
import { selectRollback } from '../../src/core/select-rollback.js';
import { T0, at, started } from './fixtures.js';

const fold = (...events: SessionEvent[]) => reduceAll([started(), ...events]);
const begin = (sec: number, step: string) => at(sec, { type: 'step/started', phase: 'pre', step }) as SessionEvent;
const pass = (sec: number, step: string) => at(sec, { type: 'step/passed', step }) as SessionEvent;
const fail = (sec: number, step: string) => at(sec, { type: 'step/failed', step, error: 'exit 1' }) as SessionEvent;
const pre = (s: ReturnType<typeof fold>, sec: number) => selectChecklist(s, T0 + sec * 1000)[0];

describe('phase clocks', () => {
  it.each<[string, SessionEvent[], string, number]>([
    ['running', [begin(0, 'backup')], 'running', Number.NaN],
    ['failed', [begin(0, 'backup'), pass(5, 'backup'), begin(6, 'green-health'), fail(20, 'green-health')], 'failed', 20_000],
    [
      'at its gate',
      ['backup', 'green-health', 'err-low', 'lb-up'].flatMap((s, i) => [begin(i * 10, s), pass(i * 10 + 5, s)]),
      'gate',
      35_000,
    ],
  ])('%s', (_name, events, status, stoppedAt) => {
    const s = fold(...events);
    const at30 = pre(s, 30 * 60);
    const at60 = pre(s, 60 * 60);
    expect(at30.status).toBe(status);
    if (Number.isNaN(stoppedAt)) {
      // Running: the clock follows now.
      expect(at30.actualMs).toBe(30 * 60_000);
      expect(at60.actualMs).toBe(60 * 60_000);
    } else {
      // Stopped: the same reading an hour later, and never late for time spent after it stopped.
      expect(at30.actualMs).toBe(stoppedAt);
      expect(at60.actualMs).toBe(stoppedAt);
      expect(at60.late).toBe(stoppedAt > at60.plannedMs!);
    }
  });

  it('a failed phase that is retried runs its clock again (from the retry: a step keeps its latest attempt)', () => {
    const s = fold(begin(0, 'backup'), fail(20, 'backup'), begin(100, 'backup'));
    expect(pre(s, 130)).toMatchObject({ status: 'running', actualMs: 30_000 });
    expect(pre(s, 160)).toMatchObject({ status: 'running', actualMs: 60_000 });
  });

  it('never reads negative, even when the clock it is read with is behind the events', () => {
    const s = fold(begin(10, 'backup'));
    expect(pre(s, 9).actualMs).toBe(0);
    const failed = fold(begin(10, 'backup'), fail(30, 'backup'));
    expect(pre(failed, 20).actualMs).toBeGreaterThanOrEqual(0);
  });

  it('a rollback host that started after the clock it is read with reads 0, not -22ms', () => {
    const rb = started().runbook;
    const level = rb.rollback!.levels[0];
    const step = level.steps[0];
    const s = fold(
      at(10, { type: 'rollback/confirmed', level: level.id, operator: 'alice' }) as SessionEvent,
      at(10, { type: 'rollback/step', level: level.id, step: step.id, status: 'started' }) as SessionEvent,
      at(10.022, {
        type: 'command/started',
        cmd: 'c1',
        host: 'lb1.internal',
        step: step.id,
        level: level.id,
        command: 'lbctl weight blue 0',
      }) as SessionEvent,
    );
    const view = selectRollback(s, T0 + 10_000);
    expect(view.run?.hosts.map((h) => h.host)).toContain('lb1.internal');
    for (const h of view.run?.hosts ?? []) expect(h.elapsedMs).toBe(0);
    expect(view.run?.elapsedMs).toBeGreaterThanOrEqual(0);
  });
});
