// Endings, ids and the countdown: session/ended is always the last event, after every command's exit
// (or "outcome unknown"); command ids stay unique across --resume; the auto countdown runs on the session's clock.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { SessionEvent } from '../../src/core/index.js';
import { JournalWriter, readJournal, verifyChain } from '../../src/journal/index.js';
import type { Executors } from '../../src/session/executors.js';
import { Session } from '../../src/session/session.js';
import type { Schedule } from '../../src/session/countdown.js';
import { runbook } from '../core/fixtures.js';
import { instantExecutors } from '../ui/live.js';
import { tempDir } from '../journal/helpers.js';

/** Remote commands that start on every host; on cancel, `answers` hosts report an exit after a while, the others never do. */
function stubbornExecutors(answers: (host: string) => boolean): Executors & { late: () => void } {
  const late: (() => void)[] = [];
  return {
    late: () => {
      for (const f of late) f();
    },
    remote: (req) =>
      new Promise((resolve) => {
        for (const h of req.hosts)
          req.ctx.emit({
            type: 'command/started',
            t: req.ctx.now(),
            cmd: `${req.id}@${h.host}`,
            step: req.step,
            host: h.host,
            command: req.run.command,
            ...(req.level ? { level: req.level } : {}),
          });
        req.signal.addEventListener('abort', () => {
          const exit = (host: string) =>
            req.ctx.emit({
              type: 'command/exited',
              t: req.ctx.now(),
              cmd: `${req.id}@${host}`,
              host,
              code: null,
              signal: 'SIGTERM',
              ms: 1,
            });
          for (const h of req.hosts.filter((h) => answers(h.host))) setTimeout(() => exit(h.host), 30);
          // The stubborn host answers only after the session has ended: that exit must not be journaled.
          late.push(() => {
            for (const h of req.hosts.filter((x) => !answers(x.host))) exit(h.host);
          });
          if (req.hosts.every((h) => answers(h.host))) setTimeout(() => resolve({ ok: false, summary: 'cancelled' }), 40);
        });
      }),
    local: async () => ({ ok: true, summary: 'exit 0' }),
    connections: () => 0,
    close: async () => {},
  };
}

async function journaled(exec: Executors, o: { cancelGraceMs?: number; resumeFrom?: SessionEvent[]; path?: string } = {}) {
  const path = o.path ?? join(tempDir(), 'j.jsonl');
  const journal = o.resumeFrom ? await JournalWriter.openForAppend<SessionEvent>(path) : await JournalWriter.create<SessionEvent>(path);
  const session = new Session({
    runbook: runbook(),
    runbookPath: 'rb.yaml',
    runbookSha256: '',
    operator: 'alice',
    mode: 'live',
    version: 't',
    journal,
    executors: exec,
    publishMs: 1,
    ...(o.cancelGraceMs ? { cancelGraceMs: o.cancelGraceMs } : {}),
    ...(o.resumeFrom ? { resumeFrom: o.resumeFrom } : {}),
  });
  await session.start();
  return { session, path, journal };
}

const types = (path: string) => readJournal(path).entries.map((e) => e.event);

describe('ending a session', () => {
  it('cancels running commands and records their exits, or "outcome unknown", before session/ended, which is last', async () => {
    const exec = stubbornExecutors((h) => h === 'app-g1.internal');
    const { session, path } = await journaled(exec, { cancelGraceMs: 300 });
    session.act('backup');
    await expect.poll(() => session.state.steps.backup?.status).toBe('passed');
    expect(session.act('green-health')).toBeUndefined();
    await expect.poll(() => Object.keys(session.state.commands).length).toBe(2);
    await session.end('aborted', 'SIGTERM received');
    exec.late();
    const events = types(path);
    expect(events.at(-1)).toMatchObject({ type: 'session/ended', outcome: 'aborted', reason: 'SIGTERM received' });
    const exits = events.filter((e) => e.type === 'command/exited');
    expect(exits).toHaveLength(2);
    expect(exits.find((e) => e.host === 'app-g1.internal')).toMatchObject({ signal: 'SIGTERM' });
    expect(exits.find((e) => e.host === 'app-g2.internal')).toMatchObject({
      code: null,
      error: expect.stringMatching(/^outcome unknown: the session ended before app-g2.internal reported/),
    });
    expect(events.find((e) => e.type === 'step/failed')).toMatchObject({
      step: 'green-health',
      error: expect.stringMatching(/outcome unknown/),
    });
    expect(verifyChain(path).ok).toBe(true);
  });

  it('a rollback running at the end is recorded as aborted by the ending, then the outcome says so', async () => {
    const exec = stubbornExecutors(() => true);
    const { session, path } = await journaled(exec);
    session.confirmRollback('traffic');
    await expect.poll(() => Object.keys(session.state.commands).length).toBe(1);
    await session.end(undefined, 'SIGINT received');
    const events = types(path);
    const i = events.findIndex((e) => e.type === 'rollback/aborted');
    expect(events[i]).toMatchObject({ level: 'traffic', reason: 'the session ended: SIGINT received' });
    expect(i).toBeLessThan(events.findIndex((e) => e.type === 'command/exited'));
    expect(events.at(-1)).toMatchObject({ type: 'session/ended', outcome: 'rollback-aborted' });
  });

  it('quitting while a step runs ends as aborted, as a signal does (not failed by its own cancel)', async () => {
    const exec = stubbornExecutors(() => true);
    const { session, path } = await journaled(exec);
    session.act('backup');
    await expect.poll(() => session.state.steps.backup?.status).toBe('passed');
    session.act('green-health');
    await expect.poll(() => session.state.steps['green-health']?.status).toBe('running');
    expect(session.refusal({ kind: 'run', step: 'err-low' })).toMatch(/^waits for/);
    const ended = session.end();
    expect(session.refusal({ kind: 'note', text: 'late' })).toMatch(/^the session is ending/);
    await ended;
    expect(types(path).at(-1)).toMatchObject({ type: 'session/ended', outcome: 'aborted' });
  });

  it('drops whatever is emitted after session/ended', async () => {
    const { session, path } = await journaled(instantExecutors());
    await session.end();
    await expect(session.emit({ type: 'note/added', t: 1, operator: 'x', text: 'late' })).rejects.toThrow(/the session has ended/);
    expect(types(path).at(-1)?.type).toBe('session/ended');
  });
});

describe('command ids', () => {
  it('are stamped from the journal sequence, so a resumed session never reuses one', async () => {
    const fail = { on: true };
    const exec = instantExecutors((h) => (fail.on && h === 'app-g2.internal' ? 1 : 0));
    const first = await journaled(exec);
    first.session.act('backup');
    await expect.poll(() => first.session.state.steps.backup?.status).toBe('passed');
    first.session.act('green-health');
    await expect.poll(() => first.session.state.steps['green-health']?.status).toBe('failed');
    await first.session.store.settled();
    first.journal.closeSync(); // a crash: no session/ended
    const before = Object.keys(first.session.state.commands);

    const events = readJournal<SessionEvent>(first.path).entries.map((e) => e.event);
    const second = await journaled(exec, { resumeFrom: events, path: first.path });
    fail.on = false;
    expect(second.session.retry('green-health')).toBeUndefined();
    await expect.poll(() => second.session.state.steps['green-health']?.status).toBe('passed');
    await second.session.end();
    const all = readJournal<SessionEvent>(first.path)
      .entries.map((e) => e.event)
      .filter((e) => e.type === 'command/started')
      .map((e) => (e as { cmd: string }).cmd);
    expect(all).toHaveLength(4);
    expect(new Set(all).size).toBe(4);
    expect(before.every((id) => all.includes(id))).toBe(true);
    // The prefix is the seq of the attempt's step/started event.
    const started = readJournal<SessionEvent>(first.path)
      .entries.filter((e) => e.event.type === 'step/started' && (e.event as { step: string }).step === 'green-health')
      .map((e) => e.seq);
    expect(new Set(all.map((id) => id.split('@')[0]))).toEqual(new Set(started.map((s) => `green-health#${s}`)));
  });
});

describe('the auto-rollback countdown', () => {
  it('runs on the session clock and schedule: it fires when the schedule says, not on a bare timer', async () => {
    let now = Date.UTC(2026, 10, 21, 22, 0, 0);
    const timers: { at: number; fn: () => void }[] = [];
    const schedule: Schedule = (ms, fn) => {
      const t = { at: now + ms, fn };
      timers.push(t);
      return () => timers.splice(timers.indexOf(t), 1);
    };
    const session = new Session({
      runbook: runbook(),
      runbookPath: 'rb.yaml',
      runbookSha256: '',
      operator: 'alice',
      mode: 'live',
      version: 't',
      executors: instantExecutors(),
      publishMs: 1,
      clock: () => now,
      schedule,
    });
    await session.start();
    await session.emit({
      type: 'rollback/recommended',
      t: now,
      level: 'traffic',
      trigger: 'p95-slow',
      reason: 'p95',
      countdownUntil: now + 20_000,
    });
    await expect.poll(() => timers.length).toBe(1);
    expect(timers[0].at).toBe(now + 20_000);
    expect(session.state.rollback.run).toBeUndefined();
    now += 20_000;
    timers.shift()!.fn();
    await session.rollbackSettled();
    expect(session.state.rollback.run).toMatchObject({ level: 'traffic', auto: true, operator: 'auto (p95-slow)', ok: true });
    await session.end();
  });

  it('c cancels it: the scheduled timer is withdrawn', async () => {
    const timers: (() => void)[] = [];
    const schedule: Schedule = (_ms, fn) => {
      timers.push(fn);
      return () => timers.splice(timers.indexOf(fn), 1);
    };
    const session = new Session({
      runbook: runbook(),
      runbookPath: 'rb.yaml',
      runbookSha256: '',
      operator: 'alice',
      mode: 'live',
      version: 't',
      executors: instantExecutors(),
      publishMs: 1,
      schedule,
    });
    await session.start();
    await session.emit({
      type: 'rollback/recommended',
      t: Date.now(),
      level: 'traffic',
      trigger: 'p95-slow',
      reason: 'p95',
      countdownUntil: Date.now() + 20_000,
    });
    await expect.poll(() => timers.length).toBe(1);
    expect(session.dismissRecommendation()).toBeUndefined();
    expect(timers).toHaveLength(0);
    await session.end();
  });
});
