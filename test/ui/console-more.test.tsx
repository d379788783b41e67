// Given a live session, when the operator presses keys, then the frame shows it (timeline, countdown, abort).
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App.js';
import type { Executors } from '../../src/session/executors.js';
import type { SessionEvent } from '../../src/core/index.js';
import { KEY, renderSized, type Rendered } from '../support/ink.js';
import { liveModel } from './live.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());
const frame = () => r!.lastFrame();

describe('timeline', () => {
  it('n adds a note; / filters; scrolling leaves follow mode and f returns to it', async () => {
    const { model, session } = await liveModel();
    for (let i = 0; i < 60; i++) session.note(`filler ${i}`);
    await session.store.settled();
    r = renderSized(<App model={model} color={false} />);
    r.press('3');
    await expect.poll(frame).toMatch(/╔═ 3 Timeline: story \(following\)/);
    await expect.poll(frame).toMatch(/note \(alice\): filler 59/);
    r.press('n');
    await expect.poll(frame).toMatch(/Add a note to the timeline/);
    r.press('canary looks noisy');
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/note \(alice\): canary looks noisy/);
    expect(session.state.notes.at(-1)).toMatchObject({ operator: 'alice', text: 'canary looks noisy' });

    r.press(KEY.up);
    r.press(KEY.up);
    await expect.poll(frame).toMatch(/╔═ 3 Timeline: story ═/);
    expect(frame()).not.toMatch(/canary looks noisy/);
    r.press('f');
    await expect.poll(frame).toMatch(/3 Timeline: story \(following\)/);

    r.press('/');
    r.press('filler 1');
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/filter: filler 1/);
    expect(frame()).toMatch(/filler 19/);
    expect(frame()).not.toMatch(/filler 2\d/);
  });
});

describe('auto rollback', () => {
  it('counts down visibly, and c cancels it', async () => {
    const { model, session } = await liveModel();
    void session.emit({
      type: 'trigger/firing',
      t: session.now(),
      trigger: 'p95-slow',
      value: 3,
      check: 'ratio > 2',
      since: session.now() - 60_000,
    });
    void session.emit({
      type: 'rollback/recommended',
      t: session.now(),
      level: 'traffic',
      trigger: 'p95-slow',
      reason: 'p95-slow (major): ratio 3 > 2 for 1m',
      countdownUntil: session.now() + 20_000,
    });
    r = renderSized(<App model={model} color={false} />);
    await expect.poll(frame).toMatch(/AUTO ROLLBACK in (20|19)s: press c to cancel/);
    r.press('4');
    r.press('c');
    await expect.poll(frame).not.toMatch(/AUTO ROLLBACK/);
    expect(session.store.events().all().at(-1)).toMatchObject({ type: 'rollback/dismissed', level: 'traffic', operator: 'alice' });
    expect(session.state.rollback.run).toBeUndefined();
  });

  it('runs the level by itself when the countdown ends', async () => {
    const { model, session } = await liveModel();
    void session.emit({
      type: 'rollback/recommended',
      t: session.now(),
      level: 'traffic',
      trigger: 'p95-slow',
      reason: 'p95-slow',
      countdownUntil: session.now() + 300,
    });
    r = renderSized(<App model={model} color={false} />);
    await expect.poll(frame, { timeout: 5000 }).toMatch(/OK traffic by auto \(p95-slow\)/);
    expect(
      session.store
        .events()
        .all()
        .find((e) => e.type === 'rollback/confirmed'),
    ).toMatchObject({ auto: true, operator: 'auto (p95-slow)' });
  });
});

describe('abort', () => {
  it('x asks once; y aborts: running commands are cancelled and no further step starts', async () => {
    let release: (() => void) | undefined;
    const slow: Executors = {
      remote: (req) =>
        new Promise((resolve) => {
          for (const h of req.hosts)
            req.ctx.emit({
              type: 'command/started',
              t: req.ctx.now(),
              cmd: `${req.step}@${h.host}`,
              step: req.step,
              host: h.host,
              command: req.run.command,
              ...(req.level ? { level: req.level } : {}),
            } as SessionEvent);
          const done = () => {
            for (const h of req.hosts)
              req.ctx.emit({
                type: 'command/exited',
                t: req.ctx.now(),
                cmd: `${req.step}@${h.host}`,
                host: h.host,
                code: null,
                error: 'cancelled',
                ms: 1,
              });
            resolve({ ok: false, summary: 'cancelled' });
          };
          release = done;
          req.signal.addEventListener('abort', done, { once: true });
        }),
      local: async () => ({ ok: true, summary: 'exit 0' }),
      connections: () => 2,
      close: async () => {},
    };
    const { model, session } = await liveModel(undefined, slow as never);
    r = renderSized(<App model={model} color={false} />);
    r.press('4');
    r.press(KEY.down);
    r.press('R');
    await expect.poll(frame).toMatch(/ROLL BACK: Level 2/);
    r.press('Y');
    await expect.poll(frame).toMatch(/app-b1.internal\s+running/);
    expect(frame()).toMatch(/ssh 2/);
    r.press('x');
    await expect.poll(frame).toMatch(/Abort rollback code\?/);
    r.press('n');
    await expect.poll(frame).not.toMatch(/Abort rollback code\?/);
    expect(session.state.rollback.run?.aborted).toBeUndefined();
    r.press('x');
    r.press('y');
    await expect.poll(frame).toMatch(/ABORTED code by alice/);
    await session.rollbackSettled();
    expect(release).toBeDefined();
    const types = session.store
      .events()
      .all()
      .map((e) => e.type);
    expect(types.filter((t) => t === 'rollback/aborted')).toHaveLength(1);
    // The local step after the aborted one never started.
    expect(session.state.rollback.run?.steps.undo.status).toBe('pending');
  });
});

describe('layouts', () => {
  it('falls back to stacked below 120 columns', async () => {
    const { model } = await liveModel();
    r = renderSized(<App model={model} color={false} size={{ columns: 100, rows: 60 }} />, 100, 60);
    await expect.poll(frame).toMatch(/Checklist/);
    const lines = frame().split('\n');
    const row = (s: string) => lines.findIndex((l) => l.includes(s));
    expect(row('1 Health')).toBeLessThan(row('2 Checklist'));
    expect(row('2 Checklist')).toBeLessThan(row('4 Rollback'));
    expect(row('4 Rollback')).toBeLessThan(row('3 Timeline'));
  });
});

describe('rolling back from anywhere', () => {
  it('R then Y rolls back the recommended level from the checklist: two keys', async () => {
    const { model, session, exec } = await liveModel();
    void session.emit({
      type: 'trigger/firing',
      t: session.now(),
      trigger: 'errors-high',
      value: 0.08,
      check: '> 0.05',
      since: session.now(),
    });
    void session.emit({
      type: 'rollback/recommended',
      t: session.now(),
      level: 'traffic',
      trigger: 'errors-high',
      reason: 'errors-high (critical)',
    });
    r = renderSized(<App model={model} color={false} />);
    await expect.poll(frame).toMatch(/╔═ 2 Checklist/);
    await expect.poll(frame).toMatch(/◀ RECOMMENDED/);
    r.press('R');
    await expect.poll(frame).toMatch(/ROLL BACK: Level 1: traffic back to green/);
    r.press('Y');
    await expect.poll(frame).toMatch(/OK traffic by alice/);
    expect(exec.calls).toEqual(['lb1.internal: lbctl weight blue 0']);
  });
});

describe('R with nothing recommended', () => {
  it('outside the rollback pane it says where a rollback is chosen; on the pane it opens the selected level', async () => {
    const { model, session } = await liveModel();
    r = renderSized(<App model={model} color={false} />);
    r.press('2');
    await expect.poll(frame).toMatch(/╔═ 2 Checklist/);
    r.press('R');
    await expect.poll(frame).toMatch(/no trigger recommends a rollback: focus the rollback pane \(4\), pick a level, press R/);
    expect(frame()).not.toMatch(/capital Y/);
    r.press('4');
    await expect.poll(frame).toMatch(/╔═ 4 Rollback/);
    r.press('R');
    await expect.poll(frame).toMatch(/capital Y/);
    expect(session.state.rollback.run).toBeUndefined();
  });
});
