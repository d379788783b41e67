// One decision, one rollback: an auto trigger runs its level once; after the rollback the trigger
// re-arms on fresh samples only, and firing again recommends the level as information, without a
// countdown; nothing starts it a second time but a person.
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/index.js';
import { withTriggers } from '../../src/drivers/triggers.js';
import { parseCondition } from '../../src/runbook/check.js';
import { Session } from '../../src/session/session.js';
import type { Schedule } from '../../src/session/countdown.js';
import { runbook, T0 } from '../core/fixtures.js';
import { instantExecutors } from '../ui/live.js';

async function setup(rb = runbook()) {
  let now = T0;
  const timers: { at: number; fn: () => void }[] = [];
  const schedule: Schedule = (ms, fn) => {
    const timer = { at: now + ms, fn };
    timers.push(timer);
    return () => void timers.splice(timers.indexOf(timer), 1);
  };
  const exec = instantExecutors();
  const session = new Session({
    runbook: rb,
    runbookPath: 'rb.yaml',
    runbookSha256: '',
    operator: 'alice',
    mode: 'live',
    version: 't',
    executors: exec,
    publishMs: 1,
    clock: () => now,
    schedule,
  });
  await session.start();
  const ctx = withTriggers(session.ctx, rb);
  /** A p95 sample of canary vs baseline, taken at `at` (default now). */
  const p95 = async (ratio: number, at = now) => {
    ctx.emit({
      type: 'metric/sampled',
      t: now,
      panel: 'p95_canary',
      at,
      series: [{ labels: {}, value: 0.1 * ratio }],
      baseline: [{ labels: {}, value: 0.1 }],
    });
    await session.store.settled();
  };
  /** Moves time on by `s` seconds, sampling every 10 s, and fires the timers that fall due. */
  const run = async (s: number, ratio: number) => {
    for (let i = 0; i < s / 10; i++) {
      now += 10_000;
      await p95(ratio);
      for (const tm of timers.filter((x) => x.at <= now)) {
        timers.splice(timers.indexOf(tm), 1);
        tm.fn();
      }
      await session.rollbackSettled();
      await session.store.settled();
    }
  };
  /** An error-rate sample, now. */
  const errors = async (v: number) => {
    ctx.emit({ type: 'metric/sampled', t: now, panel: 'error_rate', at: now, series: [{ labels: {}, value: v }] });
    await session.store.settled();
  };
  const events = () => session.store.events().all();
  const of = (type: SessionEvent['type']) => events().filter((e) => e.type === type);
  return { session, exec, timers, p95, errors, run, events, of, now: () => now };
}

describe('one decision, one rollback', () => {
  it('an auto trigger runs its level once; re-armed, it fires again on fresh samples and only informs', async () => {
    const s = await setup();
    await s.run(70, 3);
    expect(s.of('trigger/firing')).toHaveLength(1);
    expect(s.of('rollback/recommended')[0]).toMatchObject({ level: 'traffic', trigger: 'p95-slow', countdownUntil: expect.any(Number) });
    await s.run(30, 3);
    expect(s.of('rollback/confirmed')).toEqual([expect.objectContaining({ level: 'traffic', auto: true, operator: 'auto (p95-slow)' })]);
    expect(s.session.state.rollback.run).toMatchObject({ level: 'traffic', ok: true });
    expect(s.session.state.rollback.recommended).toBeUndefined();

    // The window still holds the bad minutes: the trigger re-arms and must hold for its whole `for` on fresh samples.
    const end = s.session.state.rollback.run!.finishedAt!;
    expect(s.of('trigger/rearmed')).toEqual([expect.objectContaining({ trigger: 'p95-slow', level: 'traffic', after: end })]);
    const pending = s.of('trigger/pending').at(-1) as { since: number };
    expect(pending.since).toBeGreaterThan(end);
    const count = s.events().length;
    await s.p95(3, end - 1); // a late sample of a window that ended before the rollback did: it counts for nothing
    expect(s.events().length).toBe(count + 1);
    await s.run(30, 3);
    expect(s.of('trigger/firing')).toHaveLength(1);
    await s.run(30, 3);
    expect(s.of('trigger/firing')).toHaveLength(2);
    const again = s.of('rollback/recommended').at(-1)!;
    expect(again).toMatchObject({
      level: 'traffic',
      reason: expect.stringMatching(/level traffic already ran: started T\+01:\d\d, OK; running it again is your decision/),
    });
    expect(again).not.toHaveProperty('countdownUntil');
    expect(s.timers).toHaveLength(0);
    await s.run(120, 3);
    expect(s.of('rollback/confirmed')).toHaveLength(1);
    // Only a person runs it again, and the refusal a trigger gets says why.
    expect(s.session.confirmRollback('traffic', true, 'auto (p95-slow)')).toMatch(
      /^level traffic already ran \(started T\+01:\d\d, OK\): a trigger never starts a level twice; the operator decides$/,
    );
    expect(s.session.confirmRollback('traffic')).toBeUndefined();
    await s.session.rollbackSettled();
    expect(s.of('rollback/confirmed')).toHaveLength(2);
    await s.session.end();
  });

  it('a recommendation ends when its trigger resolves: the countdown is off and the pane has nothing to recommend', async () => {
    const s = await setup();
    await s.run(70, 3);
    expect(s.session.state.rollback.recommended).toMatchObject({ countdownUntil: expect.any(Number) });
    await s.run(10, 1);
    expect(s.session.state.rollback.recommended).toBeUndefined();
    expect(s.timers).toHaveLength(0);
    await s.run(60, 1);
    expect(s.of('rollback/confirmed')).toHaveLength(0);
    await s.session.end();
  });

  it('a more severe level after a lesser one finished is a new decision: recommended, and run by its own auto trigger', async () => {
    const rb = runbook();
    rb.rollback!.triggers!.push({
      id: 'errors-severe',
      when: parseCondition('error_rate > 0.2')!,
      severity: 'critical',
      recommend: 'code',
      auto: true,
      countdown: 20_000,
    });
    const s = await setup(rb);
    await s.run(100, 3);
    expect(s.session.state.rollback.run).toMatchObject({ level: 'traffic', ok: true });
    await s.errors(0.3);
    const rec = s.of('rollback/recommended').at(-1)!;
    expect(rec).toMatchObject({ level: 'code', trigger: 'errors-severe', countdownUntil: expect.any(Number) });
    expect(s.timers).toHaveLength(1);
    await s.run(20, 1);
    expect(s.of('rollback/confirmed').map((e) => (e as { level: string }).level)).toEqual(['traffic', 'code']);
    expect(s.session.state.rollback.run).toMatchObject({ level: 'code', auto: true, ok: true });
    await s.session.end();
  });

  it('c covers the level: a second auto trigger for it starts no new countdown until the triggers are quiet', async () => {
    const rb = runbook();
    rb.rollback!.triggers!.push({
      id: 'errors-auto',
      when: parseCondition('error_rate > 0.05')!,
      severity: 'critical',
      recommend: 'traffic',
      auto: true,
      countdown: 20_000,
    });
    const s = await setup(rb);
    await s.run(70, 3);
    expect(s.session.state.rollback.recommended).toMatchObject({
      level: 'traffic',
      trigger: 'p95-slow',
      countdownUntil: expect.any(Number),
    });
    expect(s.session.dismissRecommendation()).toBeUndefined();
    await s.session.store.settled();
    await s.errors(0.3);
    const rec = s.of('rollback/recommended').at(-1)!;
    expect(rec).toMatchObject({
      level: 'traffic',
      trigger: 'errors-auto',
      reason: expect.stringMatching(/alice dismissed traffic at T\+01:\d\d: no countdown until its triggers are quiet/),
    });
    expect(rec).not.toHaveProperty('countdownUntil');
    expect(s.timers).toHaveLength(0);
    expect(s.session.confirmRollback('traffic', true, 'auto (errors-auto)')).toMatch(
      /^alice dismissed traffic at T\+01:\d\d: no trigger starts it until its triggers are quiet again$/,
    );
    await s.run(60, 3);
    expect(s.of('rollback/confirmed')).toHaveLength(0);
    // Once every trigger for the level is quiet, the next episode is a new decision again.
    await s.run(10, 1);
    await s.errors(0.01);
    expect(s.session.state.rollback.dismissed).toBeUndefined();
    await s.session.end();
  });
});
