import { describe, expect, it } from 'vitest';
import { assertPlainJson, initialState, reduce, reduceAll, type SessionEvent } from '../../src/core/index.js';
import { T0, at, started } from './fixtures.js';

const fold = (...events: SessionEvent[]) => reduceAll([started(), ...events]);

describe('reduce', () => {
  it('never mutates the state it is given', () => {
    const s0 = reduce(initialState(), started());
    const frozen = JSON.stringify(s0);
    reduce(s0, at(1, { type: 'step/started', phase: 'pre', step: 'backup' }) as SessionEvent);
    expect(JSON.stringify(s0)).toBe(frozen);
  });

  it('session started embeds the runbook; ended sets the outcome', () => {
    const s = fold(at(60, { type: 'session/ended', outcome: 'completed' }) as SessionEvent);
    expect(s.session?.runbook.name).toMatch(/checkout-api/);
    expect(s.session?.startedAt).toBe(T0);
    expect(s.session?.outcome).toBe('completed');
    expect(s.count).toBe(2);
  });

  it('a step runs, fails, is retried and passes', () => {
    const s = fold(
      at(1, { type: 'step/started', phase: 'pre', step: 'green-health' }) as SessionEvent,
      at(2, { type: 'step/failed', step: 'green-health', error: 'exit 7 on app-g1' }) as SessionEvent,
      at(3, { type: 'step/started', phase: 'pre', step: 'green-health' }) as SessionEvent,
      at(4, { type: 'step/passed', step: 'green-health' }) as SessionEvent,
    );
    expect(s.steps['green-health']).toMatchObject({ status: 'passed', attempts: 2, startedAt: T0 + 3000, endedAt: T0 + 4000 });
    // The retry starts clean: the first attempt's error belongs to the timeline, not the step.
    expect(s.steps['green-health'].error).toBeUndefined();
  });

  it('a skip keeps who and why', () => {
    const s = fold(at(1, { type: 'step/skipped', step: 'backup', reason: 'done by DBA', operator: 'bob' }) as SessionEvent);
    expect(s.steps.backup).toMatchObject({ status: 'skipped', reason: 'done by DBA', operator: 'bob' });
  });

  it('command output moves only t and count: the commands record is the same object (tails are in OutputTails)', () => {
    let s = fold(
      at(1, { type: 'step/started', phase: 'pre', step: 'green-health' }) as SessionEvent,
      at(1, { type: 'command/started', cmd: 'c1', step: 'green-health', host: 'app-g1', command: 'curl' }) as SessionEvent,
    );
    expect(s.steps['green-health'].cmds).toEqual(['c1']);
    const out = reduce(
      s,
      at(2, { type: 'command/output', cmd: 'c1', host: 'app-g1', stream: 'stdout', text: 'hello\nworld\n' }) as SessionEvent,
    );
    expect(out).not.toBe(s);
    expect(out.commands).toBe(s.commands);
    expect(out).toStrictEqual({ ...s, t: T0 + 2000, count: s.count + 1 });
    expect(out.commands.c1).toStrictEqual({ id: 'c1', step: 'green-health', host: 'app-g1', command: 'curl', startedAt: T0 + 1000 });
    s = reduce(out, at(4, { type: 'command/exited', cmd: 'c1', host: 'app-g1', code: 0, ms: 3000 }) as SessionEvent);
    expect(s.commands.c1).toMatchObject({ code: 0, endedAt: T0 + 4000 });
  });

  it('a metric failure keeps the last sample but marks since when it failed', () => {
    const s = fold(
      at(1, { type: 'metric/sampled', panel: 'error_rate', at: T0 + 1000, series: [{ labels: {}, value: 0.01 }] }) as SessionEvent,
      at(2, { type: 'metric/failed', panel: 'error_rate', kind: 'refused', message: 'connection refused' }) as SessionEvent,
      at(3, { type: 'metric/failed', panel: 'error_rate', kind: 'refused', message: 'connection refused' }) as SessionEvent,
    );
    expect(s.panels.error_rate.sample?.series[0].value).toBe(0.01);
    expect(s.panels.error_rate.error).toMatchObject({ kind: 'refused', since: T0 + 2000, t: T0 + 3000 });
    const back = reduce(s, at(4, { type: 'metric/sampled', panel: 'error_rate', at: T0 + 4000, series: [] }) as SessionEvent);
    expect(back.panels.error_rate.error).toBeUndefined();
    expect(back.panels.error_rate.sample?.series).toEqual([]);
  });

  it('gates record decision, operator and reason', () => {
    const s = fold(
      at(5, { type: 'gate/decided', phase: 'pre', decision: 'no-go', operator: 'alice', reason: 'p95 noisy' }) as SessionEvent,
    );
    expect(s.gates.pre).toEqual({ decision: 'no-go', operator: 'alice', reason: 'p95 noisy', t: T0 + 5000 });
  });

  it('triggers go pending, firing, resolved', () => {
    const ev = (type: 'trigger/pending' | 'trigger/firing' | 'trigger/resolved', sec: number, value: number) =>
      at(sec, { type, trigger: 'errors-high', value, check: '> 0.05', since: T0 + 1000 }) as SessionEvent;
    let s = fold(ev('trigger/pending', 1, 0.07));
    expect(s.triggers['errors-high']).toMatchObject({ state: 'pending', since: T0 + 1000 });
    s = reduce(s, ev('trigger/firing', 31, 0.08));
    expect(s.triggers['errors-high']).toMatchObject({ state: 'firing', firedAt: T0 + 31000, value: 0.08 });
    s = reduce(s, ev('trigger/resolved', 40, 0.01));
    expect(s.triggers['errors-high'].state).toBe('inactive');
    expect(s.triggers['errors-high'].firedAt).toBeUndefined();
  });

  it('a rollback is recommended, confirmed, runs its steps and finishes', () => {
    const s = fold(
      at(1, {
        type: 'rollback/recommended',
        level: 'traffic',
        trigger: 'errors-high',
        reason: 'error_rate 0.08 > 0.05 for 30s',
      }) as SessionEvent,
      at(2, { type: 'rollback/confirmed', level: 'traffic', operator: 'alice' }) as SessionEvent,
      at(2, { type: 'rollback/step', level: 'traffic', step: 'shift-back', status: 'started' }) as SessionEvent,
      at(2, {
        type: 'command/started',
        cmd: 'r1',
        step: 'shift-back',
        level: 'traffic',
        host: 'lb1.internal',
        command: 'lbctl weight blue 0',
      }) as SessionEvent,
      at(3, { type: 'command/exited', cmd: 'r1', host: 'lb1.internal', code: 0, ms: 1000 }) as SessionEvent,
      at(3, { type: 'rollback/step', level: 'traffic', step: 'shift-back', status: 'passed' }) as SessionEvent,
      at(3, { type: 'rollback/finished', level: 'traffic', ok: true, ms: 1000 }) as SessionEvent,
    );
    expect(s.rollback.recommended).toBeUndefined();
    expect(s.rollback.run).toMatchObject({
      level: 'traffic',
      operator: 'alice',
      ok: true,
      ms: 1000,
      steps: { 'shift-back': { status: 'passed', cmds: ['r1'] } },
    });
  });

  it('resume marks in-flight commands as outcome unknown, never as passed', () => {
    const s = fold(
      at(1, { type: 'command/started', cmd: 'c9', step: 'shift', host: 'lb1.internal', command: 'lbctl weight blue 50' }) as SessionEvent,
      at(9, { type: 'session/resumed', operator: 'alice', afterSeq: 2 }) as SessionEvent,
    );
    expect(s.commands.c9).toMatchObject({ code: null, error: 'outcome unknown (console restarted)', endedAt: T0 + 9000 });
    expect(s.session?.resumedAt).toEqual([T0 + 9000]);
  });

  it('notes accumulate in order', () => {
    const s = fold(
      at(1, { type: 'note/added', operator: 'a', text: 'one' }) as SessionEvent,
      at(2, { type: 'note/added', operator: 'b', text: 'two' }) as SessionEvent,
    );
    expect(s.notes.map((n) => n.text)).toEqual(['one', 'two']);
  });
});

describe('assertPlainJson', () => {
  it('accepts plain events and rejects what JSON would change', () => {
    expect(() => assertPlainJson(started())).not.toThrow();
    expect(() => assertPlainJson({ type: 'x', t: 1, v: NaN })).toThrow(/event.v is NaN/);
    expect(() => assertPlainJson({ type: 'x', t: 1, v: undefined })).toThrow(/undefined/);
    expect(() => assertPlainJson({ type: 'x', t: new Date() })).toThrow(/Date/);
    expect(() => assertPlainJson({ type: 'x', a: [1, Infinity] })).toThrow(/a\[1\]/);
  });
});

describe('auto-rollback countdown', () => {
  it('ends, with its recommendation, when the trigger that started it resolves', () => {
    const s = fold(
      at(1, { type: 'trigger/firing', trigger: 'p95-slow', value: 3, check: 'ratio > 2', since: T0 }) as SessionEvent,
      at(1, {
        type: 'rollback/recommended',
        level: 'traffic',
        trigger: 'p95-slow',
        reason: 'slow',
        countdownUntil: T0 + 21_000,
      }) as SessionEvent,
      at(5, { type: 'trigger/resolved', trigger: 'p95-slow', value: 1.1, check: 'ratio > 2', since: T0 }) as SessionEvent,
    );
    expect(s.rollback.recommended).toBeUndefined();
  });

  it('a recommendation ends when its level finishes; another trigger resolving leaves it alone', () => {
    const rec = at(1, { type: 'rollback/recommended', level: 'traffic', trigger: 'errors-high', reason: 'errors' }) as SessionEvent;
    const other = at(2, { type: 'trigger/resolved', trigger: 'p95-slow', value: 1, check: 'ratio > 2', since: T0 }) as SessionEvent;
    expect(fold(rec, other).rollback.recommended).toMatchObject({ level: 'traffic' });
    const s = fold(
      rec,
      at(3, { type: 'rollback/confirmed', level: 'code', operator: 'a' }) as SessionEvent,
      at(9, { type: 'rollback/finished', level: 'code', ok: true, ms: 6000 }) as SessionEvent,
    );
    expect(s.rollback.recommended).toMatchObject({ level: 'traffic' });
    const t = fold(
      at(1, { type: 'rollback/recommended', level: 'code', trigger: 'errors-high', reason: 'errors' }) as SessionEvent,
      at(3, { type: 'rollback/confirmed', level: 'traffic', operator: 'a' }) as SessionEvent,
      at(9, { type: 'rollback/finished', level: 'traffic', ok: true, ms: 6000 }) as SessionEvent,
      at(10, { type: 'rollback/recommended', level: 'traffic', trigger: 'errors-high', reason: 'again' }) as SessionEvent,
      at(11, { type: 'rollback/confirmed', level: 'traffic', operator: 'a' }) as SessionEvent,
      at(19, { type: 'rollback/finished', level: 'traffic', ok: true, ms: 8000 }) as SessionEvent,
    );
    expect(t.rollback.recommended).toBeUndefined();
  });

  it('a re-armed trigger is inactive again, its value kept', () => {
    const s = fold(
      at(1, { type: 'trigger/firing', trigger: 'errors-high', value: 0.2, check: '> 0.05', since: T0 }) as SessionEvent,
      at(9, { type: 'trigger/rearmed', trigger: 'errors-high', level: 'traffic', after: T0 + 9000 }) as SessionEvent,
    );
    expect(s.triggers['errors-high']).toEqual({ state: 'inactive', value: 0.2, check: '> 0.05', t: T0 + 9000 });
  });

  it('keeps the samples taken since the sparkline window (bounded), and lets go of those a new window covers', () => {
    const sample = (sec: number, value: number, baseline?: number) =>
      at(sec, {
        type: 'metric/sampled',
        panel: 'p95_canary',
        at: T0 + sec * 1000,
        series: [
          { labels: {}, value },
          { labels: { pod: 'b' }, value: value / 2 },
        ],
        ...(baseline !== undefined ? { baseline: [{ labels: {}, value: baseline }] } : {}),
      }) as SessionEvent;
    const window = (sec: number, lastPoint: number) =>
      at(sec, { type: 'metric/range', panel: 'p95_canary', from: T0, step: 1000, points: [[T0 + lastPoint * 1000, 0.2]] }) as SessionEvent;
    let s = fold(window(1, 1), sample(2, 0.3, 0.2), sample(3, 0.4, 0.2));
    // The headline (highest) series, and the baseline's.
    expect(s.panels.p95_canary.recent).toEqual([
      { at: T0 + 2000, value: 0.3, baseline: 0.2 },
      { at: T0 + 3000, value: 0.4, baseline: 0.2 },
    ]);
    // A new window up to second 2 covers the first of them.
    s = reduce(s, window(4, 2));
    expect(s.panels.p95_canary.recent).toEqual([{ at: T0 + 3000, value: 0.4, baseline: 0.2 }]);
    // One covering them all leaves none.
    s = reduce(s, window(5, 3));
    expect(s.panels.p95_canary.recent).toBeUndefined();
    // Never more than RECENT_SAMPLES, the newest kept.
    for (let i = 0; i < 200; i++) s = reduce(s, sample(10 + i, i));
    expect(s.panels.p95_canary.recent).toHaveLength(120);
    expect(s.panels.p95_canary.recent!.at(-1)).toEqual({ at: T0 + 209_000, value: 199 });
  });
});
