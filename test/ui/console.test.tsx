// Given a live session, when the operator presses keys, then the frame shows it.
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App.js';
import { KEY, renderSized, type Rendered } from '../support/ink.js';
import { instantExecutors, liveModel } from './live.js';
import { staticModel } from './model.js';
import { T0, at, started } from '../core/fixtures.js';
import type { SessionEvent } from '../../src/core/index.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());
const frame = () => r!.lastFrame();

describe('checklist', () => {
  it('Enter ticks a manual step, and a locked phase says why', async () => {
    const { model } = await liveModel();
    r = renderSized(<App model={model} color={false} />);
    await expect.poll(frame).toMatch(/○ Database backup verified/);
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/✓ Database backup verified/);
    // The tick started (and passed) the step: the cursor is on the next one.
    await expect.poll(frame).toMatch(/▸ ○ Green answers health/);
    for (let i = 0; i < 4; i++) r.press(KEY.down);
    await expect.poll(frame).toMatch(/▸ ○ Shift 50%/);
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/run step: locked until "GATE 1: go \/ no-go" says go/);
  });

  it('a step waits for its predecessor: Enter on it says which, and nothing runs', async () => {
    const { model, exec } = await liveModel();
    r = renderSized(<App model={model} color={false} />);
    await expect.poll(frame).toMatch(/▸ ○ Database backup/);
    r.press(KEY.down);
    await expect.poll(frame).toMatch(/▸ ○ Green answers health/);
    expect(frame()).toMatch(/enter run step/);
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/run step: waits for "Database backup verified" \(backup\) to pass or be skipped first/);
    expect(exec.calls).toEqual([]);
  });

  it('s asks for a reason, then the step shows as skipped with it', async () => {
    const { model, session } = await liveModel();
    r = renderSized(<App model={model} color={false} />);
    await expect.poll(frame).toMatch(/Database backup/);
    r.press('s');
    await expect.poll(frame).toMatch(/Skip "Database backup verified"/);
    r.press('done by DBA');
    await expect.poll(frame).toMatch(/> done by DBA/);
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/⤼ Database backup verified.*skipped: done by DBA/);
    expect(session.state.steps.backup).toMatchObject({ status: 'skipped', reason: 'done by DBA', operator: 'alice' });
  });

  it('keys that arrive in one read each count: a pasted reason with its Enter, two Backspaces', async () => {
    const { model, session } = await liveModel();
    r = renderSized(<App model={model} color={false} />);
    await expect.poll(frame).toMatch(/Database backup/);
    r.press('s');
    await expect.poll(frame).toMatch(/Skip "Database backup verified"/);
    r.press('done by DBAxx');
    await expect.poll(frame).toMatch(/> done by DBAxx/);
    r.press('\x7f\x7f');
    await expect.poll(frame).toMatch(/> done by DBA█/);
    r.press(' already\r');
    await expect.poll(frame).toMatch(/⤼ Database backup verified.*skipped: done by DBA already/);
    expect(session.state.steps.backup).toMatchObject({ status: 'skipped', reason: 'done by DBA already' });
  });

  it('a run step runs on its hosts; a failure can be retried with r', async () => {
    let fail = true;
    const exec = instantExecutors((h) => (fail && h === 'app-g2.internal' ? 7 : 0));
    const { model, session } = await liveModel(undefined, exec);
    // Enter right after the cursor moved on: no settle wait here (test/ui/checklist-settle.test.tsx covers it).
    r = renderSized(<App model={model} color={false} settleMs={0} />);
    await expect.poll(frame).toMatch(/▸ ○ Database backup/);
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/✓ Database backup verified/);
    await expect.poll(frame).toMatch(/▸ ○ Green answers health/);
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/✗ Green answers health/);
    // The cursor went on to the next step when this one started: back up to retry it.
    await expect.poll(frame).toMatch(/▸ ○ Error rate below/);
    r.press(KEY.up);
    await expect.poll(frame).toMatch(/▸ ✗ Green answers health/);
    expect(exec.calls).toEqual([
      'app-g1.internal: curl -fsS localhost:3000/api/health',
      'app-g2.internal: curl -fsS localhost:3000/api/health',
    ]);
    fail = false;
    r.press('r');
    await expect.poll(frame).toMatch(/✓ Green answers health.*\(try 2\)/);
    expect(session.state.steps['green-health'].attempts).toBe(2);
  });

  it('a gate needs a reason for no-go, and go unlocks the next phase', async () => {
    const { model, session } = await liveModel();
    for (const id of ['backup', 'green-health', 'err-low', 'lb-up']) session.skip(id, 'test');
    await session.store.settled();
    r = renderSized(<App model={model} color={false} />);
    for (let i = 0; i < 4; i++) r.press(KEY.down);
    await expect.poll(frame).toMatch(/▸ ◆ GATE 1/);
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/g GO · n NO-GO/);
    r.press('n');
    await expect.poll(frame).toMatch(/Reason \(required\)/);
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/a no-go needs a reason/);
    expect(
      session.store
        .events()
        .all()
        .some((e) => e.type === 'gate/decided'),
    ).toBe(false);
    r.press(KEY.esc);
    await expect.poll(frame).not.toMatch(/Reason \(required\)/);
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/g GO · n NO-GO/);
    r.press('g');
    await expect.poll(frame).toMatch(/Reason \(optional\)/);
    r.press(KEY.enter);
    await expect.poll(frame).toMatch(/GO by alice/);
    await expect.poll(frame).toMatch(/▪ 50% traffic to blue {2}pending/);
  });
});

describe('rollback', () => {
  it('R lists the commands and hosts, only capital Y runs it, then per-host progress shows', async () => {
    const { model, session, exec } = await liveModel();
    r = renderSized(<App model={model} color={false} />);
    r.press('4');
    await expect.poll(frame).toMatch(/╔═ 4 Rollback/);
    r.press(KEY.down);
    r.press('R');
    await expect.poll(frame).toMatch(/ROLL BACK: Level 2: code rollback/);
    expect(frame()).toMatch(/ssh blue \(2 hosts; batch 1, maxFail 0\): deployctl activate v2.0.5/);
    expect(frame()).toMatch(/on app-b1.internal, app-b2.internal/);
    expect(frame()).toMatch(/local: kubectl rollout undo deploy\/checkout/);
    // Lowercase y is refused with a reason, and the dialog stays open; Enter does nothing either.
    r.press('y');
    await expect.poll(frame).toMatch(/a rollback needs capital Y/);
    r.press(KEY.enter);
    await expect.poll(frame).not.toMatch(/a rollback needs capital Y/);
    expect(frame()).toMatch(/ROLL BACK: Level 2: code rollback/);
    expect(
      session.store
        .events()
        .all()
        .some((e) => e.type === 'rollback/confirmed'),
    ).toBe(false);
    expect(exec.calls).toEqual([]);
    r.press('Y');
    await expect.poll(frame).toMatch(/OK code by alice/);
    expect(frame()).toMatch(/app-b1.internal\s+ok/);
    expect(exec.calls).toEqual([
      'app-b1.internal: deployctl activate v2.0.5',
      'app-b2.internal: deployctl activate v2.0.5',
      'local: ["kubectl","rollout","undo","deploy/checkout"]',
    ]);
    // A second run of the same level is a deliberate act, and the dialog says it already ran.
    r.press('R');
    await expect.poll(frame).toMatch(/Already ran \(started T\+00:\d\d, OK\): this is a new decision\./);
  });

  it('a firing trigger preselects its level and says why', async () => {
    const { model, session } = await liveModel();
    void session.emit({
      type: 'trigger/firing',
      t: session.now(),
      trigger: 'errors-high',
      value: 0.08,
      check: '> 0.05',
      since: session.now() - 30_000,
    });
    void session.emit({
      type: 'rollback/recommended',
      t: session.now(),
      level: 'traffic',
      trigger: 'errors-high',
      reason: 'errors-high (critical): Error rate is 8%, > 0.05 for 30s',
    });
    r = renderSized(<App model={model} color={false} />);
    await expect.poll(frame).toMatch(/Level 1: traffic back to green.*◀ RECOMMENDED/);
    expect(frame()).toMatch(/why: errors-high \(critical\): Error rate is 8%, > 0.05 for 30s/);
  });
});

describe('what matters, where the eyes are', () => {
  it('a recommendation and its countdown are in the status bar with the key that acts, and the footer offers it from any pane', async () => {
    const { model, session } = await liveModel();
    r = renderSized(<App model={model} color={false} />, 100, 30);
    await expect.poll(frame).toMatch(/● REC/);
    await session.emit({
      type: 'trigger/firing',
      t: session.now(),
      trigger: 'p95-slow',
      value: 3,
      check: 'ratio > 2',
      since: session.now() - 60_000,
    });
    await session.emit({
      type: 'rollback/recommended',
      t: session.now(),
      level: 'traffic',
      trigger: 'p95-slow',
      reason: 'p95',
      countdownUntil: session.now() + 20_000,
    });
    await expect.poll(frame).toMatch(/^ ● REC {2}AUTO ROLLBACK traffic in (20|19)s {2}\[c cancel\]/);
    // Focus is on the checklist: the footer still leads with what to press.
    expect(frame()).toMatch(/╔═ 2 Checklist/);
    expect(frame().split('\n').at(-1)).toMatch(/^R roll back traffic… {2}c cancel auto rollback {2}enter tick/);
    r.press('c');
    await expect.poll(frame).toMatch(/^ ● REC {2}FIRING p95-slow/);
    expect(session.state.rollback.recommended).toBeUndefined();
    expect(session.store.events().all().at(-1)).toMatchObject({ type: 'rollback/dismissed', level: 'traffic', operator: 'alice' });
  });

  it('a running rollback says so with x to abort; its outcome stays once it finished', async () => {
    let release: () => void = () => {};
    const exec = {
      ...instantExecutors(),
      remote: () => new Promise<{ ok: boolean; summary: string }>((res) => (release = () => res({ ok: true, summary: '1/1 hosts ok' }))),
    };
    const { model, session } = await liveModel(undefined, exec);
    r = renderSized(<App model={model} color={false} />, 100, 30);
    session.confirmRollback('traffic');
    await expect.poll(frame).toMatch(/^ ● REC {2}ROLLING BACK traffic {2}\[x abort\]/);
    expect(frame().split('\n').at(-1)).toMatch(/^x abort rollback…/);
    release();
    await expect.poll(frame).toMatch(/^ ● REC {2}ROLLED BACK traffic in \d+ms/);
  });
});

describe('keys and help', () => {
  it('the footer and ? overlay come from the same tables; Tab moves focus', async () => {
    const { model } = await liveModel();
    r = renderSized(<App model={model} color={false} />);
    await expect.poll(frame).toMatch(/enter tick {2}r retry {2}s skip…/);
    r.press(KEY.tab);
    await expect.poll(frame).toMatch(/╔═ 3 Timeline/);
    expect(frame()).toMatch(/f following {2}\/ filter {2}e all events {2}n note/);
    r.press('?');
    await expect.poll(frame).toMatch(/Keys \(any key closes\)/);
    expect(frame()).toMatch(/R\s+roll back… {2}\(asks to confirm\)/);
    r.press('x');
    await expect.poll(frame).not.toMatch(/Keys \(any key closes\)/);
  });

  it('Ctrl-C asks like q', async () => {
    const { model, quits } = await liveModel();
    r = renderSized(<App model={model} color={false} />);
    await expect.poll(frame).toMatch(/Database backup/);
    r.press('\x03');
    await expect.poll(frame).toMatch(/Quit\?/);
    expect(quits()).toBe(0);
    r.press(KEY.esc);
    await expect.poll(frame).not.toMatch(/Quit\?/);
    expect(quits()).toBe(0);
  });

  it("the ? overlay lists the dialogs' keys from their tables", async () => {
    const { model } = await liveModel();
    r = renderSized(<App model={model} color={false} />, 160, 90);
    r.press('?');
    await expect.poll(frame).toMatch(/In dialogs/);
    expect(frame()).toMatch(/roll back\s+Y roll back now \(capital Y\) · esc\/n\/q cancel/);
    expect(frame()).toMatch(/gate\s+g GO · n NO-GO \(reason required\) · esc cancel/);
    expect(frame()).toMatch(/quit \(busy\)\s+q quit anyway/);
  });

  it('q asks first; while something runs it warns', async () => {
    const { model, quits, session } = await liveModel();
    r = renderSized(<App model={model} color={false} />);
    r.press('q');
    await expect.poll(frame).toMatch(/Quit\?/);
    r.press(KEY.esc);
    await expect.poll(frame).not.toMatch(/Quit\?/);
    expect(quits()).toBe(0);
    r.press(KEY.down);
    r.press(KEY.down);
    r.press(KEY.down);
    await expect.poll(frame).toMatch(/▸ ○ Load balancer answers/);
    expect(session.busy()).toBe(false);
    r.press('q');
    r.press('y');
    await expect.poll(quits).toBe(1);
  });
});

describe('replay (read-only)', () => {
  it('has no dangerous or acting binding', async () => {
    const m = staticModel([started(), at(1, { type: 'rollback/recommended', level: 'traffic', reason: 'x' }) as SessionEvent], T0 + 2000);
    r = renderSized(<App model={m} color={false} />);
    r.press('4');
    await expect.poll(frame).toMatch(/╔═ 4 Rollback/);
    r.press('R');
    r.press('?');
    await expect.poll(frame).toMatch(/Keys/);
    expect(frame()).not.toMatch(/roll back…|abort|skip…|note/);
  });
});
