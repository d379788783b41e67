// Unattended runs and critical triggers: a firing critical trigger stops forward steps with exit 5
// and says why; --yes never says go to a gate while one fires; an auto trigger's rollback runs as in the console.
import { describe, expect, it } from 'vitest';
import { withTriggers } from '../../src/drivers/triggers.js';
import { runHeadless, EXIT } from '../../src/cli/run/headless.js';
import { loadRunbookText } from '../../src/runbook/index.js';
import { Session } from '../../src/session/session.js';
import type { Schedule } from '../../src/session/countdown.js';
import { instantExecutors } from '../ui/live.js';

const yaml = (trigger: string, soak: string) => `name: headless
prometheus: { url: "http://127.0.0.1:9" }
health:
  - { id: errors, title: Errors, query: up, unit: ratio }
phases:
  - id: one
    title: One
    steps:
      - { id: ack, title: Ack, manual: true }
      - { id: soak, title: Soak, wait: ${soak} }
    gate: { title: Go? }
  - id: two
    title: Two
    steps: [ { id: more, title: More, manual: true } ]
rollback:
  levels: [ { id: back, title: Back, steps: [ { id: u, title: Undo, manual: true } ] } ]
  triggers:
    - ${trigger}
`;

async function setup(trigger: string, soak = '1h') {
  const rb = loadRunbookText('rb.yaml', yaml(trigger, soak), null).runbook!;
  // Firing a timer moves the session's clock to the time it was set for, as a real timer would.
  let skew = 0;
  const clock = () => Date.now() + skew;
  const timers: (() => void)[] = [];
  const schedule: Schedule = (ms, fn) => {
    const due = clock() + ms;
    const timer = () => {
      skew += Math.max(0, due - clock());
      fn();
    };
    timers.push(timer);
    return () => void timers.splice(timers.indexOf(timer), 1);
  };
  const session = new Session({
    runbook: rb,
    runbookPath: 'rb.yaml',
    runbookSha256: '',
    operator: 'ci',
    mode: 'live',
    version: 't',
    executors: instantExecutors(),
    publishMs: 1,
    clock,
    schedule,
  });
  await session.start();
  const ctx = withTriggers(session.ctx, rb);
  const errors = (v: number) =>
    ctx.emit({ type: 'metric/sampled', t: session.now(), panel: 'errors', at: session.now(), series: [{ labels: {}, value: v }] });
  let out = '';
  const headless = () => runHeadless(session, { yes: true, out: (s) => void (out += s) });
  return {
    session,
    errors,
    headless,
    out: () => out,
    timers,
    types: () =>
      session.store
        .events()
        .all()
        .map((e) => e.type),
  };
}

describe('an unattended run and a critical trigger', () => {
  it('stops forward steps with exit 5 when a critical trigger fires mid-soak, and says why', async () => {
    const s = await setup('{ id: errors-high, when: "errors > 0.05", severity: critical, recommend: back }');
    const code = s.headless();
    await expect.poll(() => s.session.state.steps.soak?.status).toBe('running');
    s.errors(0.2);
    expect(await code).toBe(EXIT.trigger);
    expect(s.out()).toMatch(
      /cutover: stopped: critical trigger 'errors-high' is firing \(errors 20% > 5%\); an unattended run does not go on: a person decides, from a terminal/,
    );
    expect(s.session.state.steps.soak).toMatchObject({ status: 'failed' });
    expect(s.session.state.steps.more).toBeUndefined();
    expect(s.types()).not.toContain('gate/decided');
    expect(s.types()).not.toContain('rollback/confirmed');
    expect(s.session.state.session?.outcome).toBe('failed');
  });

  it('--yes never says go to a gate while a critical trigger fires', async () => {
    const s = await setup('{ id: errors-high, when: "errors > 0.05", severity: critical, recommend: back }', '100ms');
    s.session.act('ack');
    await expect.poll(() => s.session.state.steps.ack?.status).toBe('passed');
    s.session.act('soak');
    await expect.poll(() => s.session.state.steps.soak?.status).toBe('passed');
    s.errors(0.2);
    await s.session.store.settled();
    expect(await s.headless()).toBe(EXIT.trigger);
    expect(s.types()).not.toContain('gate/decided');
  });

  it('a non-critical trigger does not stop it', async () => {
    const s = await setup('{ id: errors-high, when: "errors > 0.05", severity: major, recommend: back }', '100ms');
    s.errors(0.2);
    expect(await s.headless()).toBe(EXIT.done);
    expect(s.session.state.steps.more?.status).toBe('passed');
  });

  it("an auto trigger's rollback runs as in the console, once its countdown ends", async () => {
    const s = await setup('{ id: errors-high, when: "errors > 0.05", severity: critical, recommend: back, auto: true, countdown: 10s }');
    const code = s.headless();
    await expect.poll(() => s.session.state.steps.soak?.status).toBe('running');
    s.errors(0.2);
    await expect.poll(() => s.timers.length).toBe(1);
    await expect.poll(() => s.out()).toMatch(/critical trigger 'errors-high' is firing: auto rollback back in \d+s/);
    s.timers.shift()!();
    expect(await code).toBe(EXIT.failed);
    expect(s.session.state.rollback.run).toMatchObject({ level: 'back', auto: true, ok: true });
    expect(s.session.state.session?.outcome).toBe('rolled-back');
  });

  it("an auto trigger's firing is never judged before its recommendation arrives (no exit 5 in between)", async () => {
    const s = await setup('{ id: errors-high, when: "errors > 0.05", severity: critical, recommend: back, auto: true, countdown: 10s }');
    const code = s.headless();
    let settled = false;
    void code.then(() => (settled = true));
    await expect.poll(() => s.session.state.steps.soak?.status).toBe('running');
    // The firing alone, folded and published, as the console can see it between two batches.
    await s.session.emit({
      type: 'trigger/firing',
      t: s.session.now(),
      trigger: 'errors-high',
      value: 0.2,
      check: '> 0.05',
      since: s.session.now(),
    });
    s.session.store.publishNow();
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    expect(s.session.facts().ending).toBeUndefined();
    await s.session.emit({
      type: 'rollback/recommended',
      t: s.session.now(),
      level: 'back',
      trigger: 'errors-high',
      reason: 'errors',
      countdownUntil: s.session.now() + 10_000,
    });
    await expect.poll(() => s.timers.length).toBe(1);
    s.timers.shift()!();
    expect(await code).toBe(EXIT.failed);
    expect(s.session.state.rollback.run).toMatchObject({ level: 'back', auto: true, ok: true });
  });
});
