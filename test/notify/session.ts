/**
 * A live session for the notifier's tests: a small runbook (a gate, a trigger, a rollback level)
 * with the `notify:` section a test writes, journaled to a temp file, the notifier as its driver.
 */
import { join } from 'node:path';
import type { SessionEvent } from '../../src/core/index.js';
import { JournalWriter, readJournal } from '../../src/journal/index.js';
import { startNotifier, type NotifierOptions } from '../../src/notify/driver.js';
import { loadRunbookText, type Runbook } from '../../src/runbook/index.js';
import type { Executors } from '../../src/session/executors.js';
import { Session } from '../../src/session/session.js';
import { tempDir } from '../journal/helpers.js';
import { instantExecutors } from '../ui/live.js';

/** The runbook, with `notify` (YAML lines under `notify:`) appended. */
export function notifyYaml(notify: string): string {
  return `name: checkout notify
prometheus: { url: "http://127.0.0.1:9" }
health:
  - { id: error_rate, title: Error rate, query: up, unit: ratio, crit: "> 0.05" }
phases:
  - id: pre
    title: Pre
    steps:
      - { id: check, title: Check, manual: true }
    gate: { title: "Go?" }
rollback:
  levels:
    - id: traffic
      title: Traffic back
      steps:
        - { id: back, title: Back, local: { command: ["true"] } }
  triggers:
    - { id: errors-high, when: "error_rate > 0.05", for: 30s, severity: critical, recommend: traffic }
notify:
${notify}
`;
}

/** The runbook loaded with `env` (every `${VAR}` it uses must be set there); fails the test on a problem. */
export function notifyRunbook(notify: string, env: NodeJS.ProcessEnv): Runbook {
  const loaded = loadRunbookText('notify.yaml', notifyYaml(notify), env);
  if (!loaded.runbook) throw new Error(loaded.problems.map((p) => `${p.line}:${p.col}: ${p.message}`).join('\n'));
  return loaded.runbook;
}

/** A started session journaling to a temp file, with the notifier (retries without jitter: the shortest waits). */
export async function notifySession(
  rb: Runbook,
  env: NodeJS.ProcessEnv,
  o: Partial<NotifierOptions> & { executors?: Executors; resumeFrom?: SessionEvent[] } = {},
): Promise<{ session: Session; path: string }> {
  const path = join(tempDir(), 'j.jsonl');
  const journal = await JournalWriter.create<SessionEvent>(path);
  const { executors, resumeFrom, ...opts } = o;
  const session = new Session({
    runbook: rb,
    runbookPath: 'notify.yaml',
    runbookSha256: '0'.repeat(64),
    operator: 'alice',
    mode: 'live',
    version: 't',
    journal,
    executors: executors ?? instantExecutors(),
    env,
    publishMs: 1,
    ...(resumeFrom ? { resumeFrom } : {}),
    drivers: (ctx) => {
      const n = startNotifier(rb, ctx, { env, random: () => 0, ...opts });
      return n ? [n] : [];
    },
  });
  await session.start();
  return { session, path };
}

/** The events of a journal file, with their seq. */
export function journaled(path: string): (SessionEvent & { seq: number })[] {
  return readJournal<SessionEvent>(path).entries.map((x) => ({ ...x.event, seq: x.seq }));
}

/** A trigger transition as the trigger driver emits it. */
export function trigger(session: Session, type: 'trigger/firing' | 'trigger/resolved', value: number): Promise<void> {
  return session.emit({ type, t: session.now(), trigger: 'errors-high', value, check: '> 0.05', since: session.now() });
}

/** Ticks the manual step and decides the gate, waiting for the decision to be folded. */
export async function decideGate(session: Session, decision: 'go' | 'no-go', reason = ''): Promise<void> {
  if (session.state.steps.check?.status !== 'passed') {
    expectNone(session.act('check'));
    await waitFor(() => session.state.steps.check?.status === 'passed');
  }
  expectNone(session.decideGate('pre', decision, reason));
  await waitFor(() => session.state.gates.pre !== undefined);
}

function expectNone(refusal: string | undefined): void {
  if (refusal) throw new Error(`refused: ${refusal}`);
}

/** Waits for a condition (events fold asynchronously); fails after 5 s. */
export async function waitFor(cond: () => boolean, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
