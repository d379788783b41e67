/**
 * Runs a reference runbook on the demo fleet in this process and drives the console the way an
 * operator would: Enter on each step in turn, g + Enter at each gate, then `4`, `R`, `Y` once a
 * trigger recommends a rollback, and `q` to leave. The journal is asserted afterwards.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { expect } from 'vitest';
import { startSession } from '../../src/cli/run/start.js';
import { reduceAll, type SessionEvent } from '../../src/core/index.js';
import { Cleanup, startDemo, type Demo } from '../../src/demo/index.js';
import type { MetricsChoice } from '../../src/demo/fleet.js';
import { readJournal, verifyChain } from '../../src/journal/index.js';
import type { Session } from '../../src/session/session.js';
import { App } from '../../src/ui/App.js';
import { sessionModel } from '../../src/ui/session-model.js';
import { KEY, renderSized, type Rendered } from '../support/ink.js';
import { tempDir } from '../support/sshd.js';

/** A demo session on screen. */
export interface Driven {
  demo: Demo;
  session: Session;
  journalPath: string;
  r: Rendered;
  frame(): string;
  /** Ends the session, cleans the fleet up, reads the journal, removes the test's files. */
  close(): Promise<{ events: SessionEvent[]; chain: ReturnType<typeof verifyChain> }>;
}

/** Starts the fleet for a fixture runbook (a name in fixtures/runbooks, or an absolute path) and shows its console at 160x48. */
export async function startDriven(
  runbook: string,
  o: { timeScale: number; metrics?: MetricsChoice; scenario?: 'degrade' | 'healthy' },
): Promise<Driven> {
  const dir = tempDir('cutover-demo-test-');
  mkdirSync(join(dir, 'state'));
  const cleanup = new Cleanup({ hook: false });
  const env = { ...process.env, XDG_STATE_HOME: join(dir, 'state'), USER: 'alice' };
  const demo = await startDemo({
    runbookPath: isAbsolute(runbook) ? runbook : join('fixtures/runbooks', runbook),
    scenario: o.scenario ?? 'degrade',
    timeScale: o.timeScale,
    metrics: o.metrics ?? 'simulated',
    env,
    cleanup,
  }).catch(async (e) => {
    await cleanup.run();
    throw e;
  });
  const { session, journalPath } = await startSession({
    runbook: demo.runbook,
    runbookPath: demo.runbookPath,
    runbookSha256: demo.runbookSha256,
    operator: 'alice',
    mode: 'demo',
    env: demo.env,
  });
  const r = renderSized(
    <App
      model={sessionModel(session, { journalPath, metricsSource: demo.metricsSource, onQuit: () => void session.end(session.outcome()) })}
      color={false}
      // operate() presses Enter as soon as the cursor moved on: no settle wait (test/ui/checklist-settle.test.tsx covers it).
      settleMs={0}
    />,
    160,
    48,
  );
  return {
    demo,
    session,
    journalPath,
    r,
    frame: () => r.lastFrame(),
    async close() {
      r.unmount();
      await session.end('aborted');
      await cleanup.run();
      const chain = verifyChain(journalPath);
      const events = readJournal<SessionEvent>(journalPath).entries.map((e) => e.event);
      rmSync(dir, { recursive: true, force: true });
      return { events, chain };
    },
  };
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Walks the checklist from the top with the keyboard: each step is run (Enter, which moves the
 * cursor to the next item) and awaited, each gate said go (Enter, g, Enter, then down). Stops once `until` has been started (a soak, say).
 */
export async function operate(d: Driven, until: string): Promise<void> {
  const rb = d.session.state.session!.runbook;
  for (const phase of rb.phases) {
    for (const step of phase.steps) {
      // The cursor is on this step once it shows pending (○); the one before it has passed (✓).
      await expect.poll(d.frame, { timeout: 5000 }).toMatch(new RegExp(`▸ ○ ${esc(step.title.slice(0, 40))}`));
      d.r.press(KEY.enter);
      if (step.id === until) {
        await expect.poll(() => d.session.state.steps[step.id]?.status, { timeout: 5000 }).toBe('running');
        return;
      }
      // Enter moved the cursor on to the next item once the step started.
      await expect.poll(() => d.session.state.steps[step.id]?.status, { timeout: 20_000 }).toBe('passed');
    }
    if (phase.gate) {
      await expect.poll(d.frame).toMatch(new RegExp(`▸ ◆ ${esc(phase.gate.title.slice(0, 40))}`));
      d.r.press(KEY.enter);
      await expect.poll(d.frame).toMatch(/g GO · n NO-GO/);
      d.r.press('g');
      await expect.poll(d.frame).toMatch(/Reason \(optional\)/);
      d.r.press(KEY.enter);
      await expect.poll(() => d.session.state.gates[phase.id]?.decision, { timeout: 5000 }).toBe('go');
      d.r.press(KEY.down);
    }
  }
  throw new Error(`step '${until}' is not in the runbook`);
}

/** Waits for `trigger` to fire and `level` to be recommended, then rolls back with 4, R and Y; waits for it to finish. */
export async function rollBack(d: Driven, trigger: string, level: string, timeout = 30_000): Promise<void> {
  await expect.poll(() => d.session.state.triggers[trigger]?.state, { timeout }).toBe('firing');
  await expect.poll(() => d.session.state.rollback.recommended?.level, { timeout }).toBe(level);
  const title = d.session.state.session!.runbook.rollback!.levels.find((l) => l.id === level)!.title;
  await expect.poll(d.frame).toMatch(/◀ RECOMMENDED/);
  // The status bar says what to press, whichever pane has focus.
  await expect
    .poll(() => d.frame().split('\n')[0])
    .toMatch(
      new RegExp(
        `(ROLL BACK\\? ${esc(level)} \\(${esc(trigger)}\\) {2}\\[R roll back ${esc(level)}\\]|AUTO ROLLBACK ${esc(level)} in \\d+s {2}\\[c cancel\\])`,
      ),
    );
  d.r.press('4');
  await expect.poll(d.frame).toMatch(/R roll back…/);
  d.r.press('R');
  await expect.poll(d.frame).toMatch(new RegExp(`ROLL BACK: ${esc(title)}`));
  d.r.press('Y');
  await expect.poll(() => d.session.state.rollback.run?.ok, { timeout: 30_000 }).toBe(true);
}

/** q, then the confirmation the quit dialog asks for (q when something still runs, y otherwise). */
export async function quit(d: Driven): Promise<void> {
  d.r.press('q');
  await expect.poll(d.frame).toMatch(/Quit\?|Quit while something runs\?/);
  d.r.press(/Quit while/.test(d.frame()) ? 'q' : 'y');
  await expect.poll(() => d.session.state.session?.outcome, { timeout: 10_000 }).toBe('rolled-back');
}

/** The journal's events, after checking its hash chain. */
export function journal(closed: Awaited<ReturnType<Driven['close']>>): SessionEvent[] {
  expect(closed.chain).toMatchObject({ ok: true });
  return closed.events;
}

/**
 * The checks every scenario shares: the trigger fired with a value past its threshold, the
 * level was recommended and confirmed, every command on every host exited 0 (each rollback
 * step on every host of its group), the rollback finished, and the session ended rolled back.
 */
export function assertRolledBack(
  events: SessionEvent[],
  o: { trigger: string; beyond: (v: number) => boolean; level: string; operator: string; auto?: boolean },
): void {
  const rb = (events[0] as Extract<SessionEvent, { type: 'session/started' }>).runbook;
  expect(events[0]).toMatchObject({ type: 'session/started', mode: 'demo' });
  const firing = events.find((e) => e.type === 'trigger/firing' && e.trigger === o.trigger) as
    | Extract<SessionEvent, { type: 'trigger/firing' }>
    | undefined;
  expect(firing, `trigger ${o.trigger} fired`).toBeDefined();
  expect(o.beyond(Number(firing!.value)), `measured value ${firing!.value}`).toBe(true);
  expect(events.some((e) => e.type === 'rollback/recommended' && e.level === o.level)).toBe(true);
  const confirmed = events.find((e) => e.type === 'rollback/confirmed');
  expect(confirmed).toMatchObject({ level: o.level, ...(o.auto ? { auto: true } : { operator: o.operator }) });
  const exits = events.filter((e): e is Extract<SessionEvent, { type: 'command/exited' }> => e.type === 'command/exited');
  expect(exits.length).toBeGreaterThan(0);
  for (const e of exits) expect(e, `${e.cmd} on ${e.host}`).toMatchObject({ code: 0 });
  const level = rb.rollback!.levels.find((l) => l.id === o.level)!;
  for (const step of level.steps.filter((s) => s.run)) {
    const hosts = rb.hosts![step.run!.on].map((h) => h.host).sort();
    const ran = exits
      .filter((e) => e.cmd.startsWith(`${step.id}#`))
      .map((e) => e.host)
      .sort();
    expect(ran, `rollback step ${step.id} on every host of ${step.run!.on}`).toEqual(hosts);
  }
  expect(events.find((e) => e.type === 'rollback/finished')).toMatchObject({ level: o.level, ok: true });
  expect(events.at(-1)).toMatchObject({ type: 'session/ended', outcome: 'rolled-back' });
  assertOneRollback(events);
}

/**
 * One decision, one rollback: a single rollback ran; no rollback command started while a deploy
 * command still ran; its recommendation was cleared when it finished, and nothing offered to run a
 * level again on a countdown afterwards.
 */
export function assertOneRollback(events: SessionEvent[]): void {
  expect(
    events.filter((e) => e.type === 'rollback/confirmed'),
    'rollbacks confirmed',
  ).toHaveLength(1);
  const running = new Set<string>();
  for (const e of events) {
    if (e.type === 'command/started' && !e.level) running.add(e.cmd);
    if (e.type === 'command/exited') running.delete(e.cmd);
    if (e.type === 'command/started' && e.level) expect([...running], `deploy commands still running when ${e.cmd} started`).toEqual([]);
  }
  const finished = events.findIndex((e) => e.type === 'rollback/finished');
  // The recommendation it answered is cleared once the level finished.
  expect(reduceAll(events.slice(0, finished + 1)).rollback.recommended, 'recommendation after the rollback finished').toBeUndefined();
  const after = events.slice(finished).filter((e) => e.type === 'rollback/recommended');
  for (const e of after) expect(e, 'a recommendation after the rollback').not.toHaveProperty('countdownUntil');
}
