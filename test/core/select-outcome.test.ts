// The outcome of a session from its events: what ending now would record (`selectOutcome`), and
// how a journal's ending reads afterwards (`selectEndedAs`, `formatEndedAs`).
import { describe, expect, it } from 'vitest';
import {
  formatEndedAs,
  reduceAll,
  selectEndedAs,
  selectOutcome,
  type Ending,
  type Outcome,
  type SessionEvent,
  type Unstamped,
} from '../../src/core/index.js';
import { at, started } from './fixtures.js';

const ev = (seconds: number, e: Unstamped) => at(seconds, e) as SessionEvent;
const pass = (s: number, step: string) => [ev(s, { type: 'step/started', phase: 'p', step }), ev(s, { type: 'step/passed', step })];
const pre = [...['backup', 'green-health', 'err-low', 'lb-up'].flatMap((st) => pass(1, st))];
const gateGo = ev(2, { type: 'gate/decided', phase: 'pre', decision: 'go', operator: 'alice' });
const cutover = [...pass(3, 'shift'), ...pass(4, 'soak')];
const confirm = (s: number, level = 'traffic') => ev(s, { type: 'rollback/confirmed', level, operator: 'alice' });
const finish = (s: number, ok: boolean, level = 'traffic') => ev(s, { type: 'rollback/finished', level, ok, ms: 1000 });
const abort = (s: number, level = 'traffic') => ev(s, { type: 'rollback/aborted', level, operator: 'alice', reason: 'wrong level' });
const resume = (s: number) => ev(s, { type: 'session/resumed', operator: 'bob', afterSeq: 1 });

const cases: [string, SessionEvent[], Ending, Outcome][] = [
  ['every phase done, every gate go', [...pre, gateGo, ...cutover], {}, 'completed'],
  [
    'a step failed',
    [
      ...pass(1, 'backup'),
      ev(2, { type: 'step/started', phase: 'pre', step: 'green-health' }),
      ev(3, { type: 'step/failed', step: 'green-health', error: 'exit 7' }),
    ],
    {},
    'failed',
  ],
  [
    'a gate said no-go',
    [...pre, ev(2, { type: 'gate/decided', phase: 'pre', decision: 'no-go', operator: 'alice', reason: 'p95 high' })],
    {},
    'failed',
  ],
  [
    'a signal while a step runs',
    [...pass(1, 'backup'), ev(2, { type: 'step/started', phase: 'pre', step: 'green-health' })],
    { signal: true },
    'aborted',
  ],
  ['a signal with nothing running', [...pass(1, 'backup')], { signal: true }, 'quit'],
  ['an unattended run stops at the gate', [...pre], { stoppedAtGate: true }, 'stopped-at-gate'],
  ['a person quits halfway', [...pass(1, 'backup')], {}, 'quit'],
  ['a rollback that finished ok', [...pre, confirm(5), finish(9, true)], {}, 'rolled-back'],
  ['a rollback that failed', [...pre, confirm(5), finish(9, false)], {}, 'rollback-failed'],
  [
    'a rollback aborted (the runner then records a finish, not ok)',
    [...pre, confirm(5), abort(7), finish(8, false)],
    {},
    'rollback-aborted',
  ],
  ['a rollback still running: ending now cuts it short', [...pre, confirm(5)], {}, 'rollback-interrupted'],
  ['a rollback still running when a signal comes', [...pre, confirm(5)], { signal: true }, 'rollback-interrupted'],
  [
    'a resumed session whose rollback was running',
    [...pre, confirm(5), ev(5, { type: 'rollback/step', level: 'traffic', step: 'shift-back', status: 'started' }), resume(60)],
    {},
    'rollback-interrupted',
  ],
  [
    'a second rollback, after a failed first, that finished ok',
    [...pre, confirm(5, 'code'), finish(9, false, 'code'), confirm(20), finish(24, true)],
    {},
    'rolled-back',
  ],
  [
    'a rollback re-run after a restart, finished ok',
    [...pre, confirm(5, 'code'), resume(60), confirm(70), finish(74, true)],
    {},
    'rolled-back',
  ],
  [
    'a finished rollback decides even though the deploy completed',
    [...pre, gateGo, ...cutover, confirm(5), finish(9, true)],
    {},
    'rolled-back',
  ],
];

describe('selectOutcome', () => {
  it.each(cases)('%s', (_name, events, ending, outcome) => {
    expect(selectOutcome(reduceAll([started(), ...events]), ending)).toBe(outcome);
  });

  it('reaches every outcome', () => {
    expect(new Set(cases.map((c) => c[3]))).toEqual(
      new Set([
        'completed',
        'failed',
        'aborted',
        'stopped-at-gate',
        'quit',
        'rolled-back',
        'rollback-failed',
        'rollback-aborted',
        'rollback-interrupted',
      ]),
    );
  });
});

describe('selectEndedAs: how a journal reads afterwards', () => {
  const ended = (outcome: Outcome, s = 99) => ev(s, { type: 'session/ended', outcome });
  const read = (events: SessionEvent[]) => {
    const e = selectEndedAs(reduceAll([started(), ...events]));
    return { ...e, text: formatEndedAs(e) };
  };

  it('a journaled outcome stands: it was computed when the session ended', () => {
    expect(read([...pre, ended('quit')])).toEqual({ ended: true, outcome: 'quit', text: 'quit' });
    expect(read([...pre, ended('stopped-at-gate')])).toMatchObject({ outcome: 'stopped-at-gate' });
    // The ending cancels the rollback it cut short, and the runner journals a finish that is not ok.
    expect(read([...pre, confirm(5), finish(9, false), ended('rollback-interrupted')])).toMatchObject({
      outcome: 'rollback-interrupted',
      text: 'rollback-interrupted',
    });
  });

  it('an old `rolled-back` gives way to the run: aborted, failed, interrupted', () => {
    expect(read([...pre, confirm(5), abort(7), finish(8, false), ended('rolled-back')])).toEqual({
      ended: true,
      outcome: 'rollback-aborted',
      recorded: 'rolled-back',
      text: 'rollback-aborted (recorded as rolled-back)',
    });
    expect(read([...pre, confirm(5), finish(9, false), ended('rolled-back')]).text).toBe('rollback-failed (recorded as rolled-back)');
    expect(read([...pre, confirm(5), resume(60), ended('rolled-back', 70)]).text).toBe('rollback-interrupted (recorded as rolled-back)');
    expect(read([...pre, confirm(5), finish(9, true), ended('rolled-back')]).text).toBe('rolled-back');
  });

  it('a session that never ended shows its latest rollback, or unfinished', () => {
    expect(read([...pre])).toEqual({ ended: false, text: 'unfinished' });
    expect(read([...pre, confirm(5)]).text).toBe('rollback-interrupted (unfinished)');
    expect(read([...pre, confirm(5), finish(9, true)]).text).toBe('rolled-back (unfinished)');
    // Resumed after an ending: open again.
    expect(read([...pre, ended('quit', 10), resume(20)]).text).toBe('unfinished');
  });
});
