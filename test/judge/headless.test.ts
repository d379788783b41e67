// An unattended run reaching a gate while the canary judgment is inconclusive: without --yes it
// stops there (exit 3) and says why; with --yes the decision is journaled as the run's, like a gate.
import { expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/events.js';
import { EXIT, runHeadless } from '../../src/cli/run/headless.js';
import { loadRunbookText } from '../../src/runbook/index.js';
import { Session } from '../../src/session/session.js';
import { instantExecutors } from '../ui/live.js';

const RUNBOOK = `name: headless judge
prometheus: { url: "http://127.0.0.1:9" }
health:
  - { id: lat, title: Lat, compare: { canary: a, baseline: b }, unit: seconds, judge: { window: 5m } }
phases:
  - { id: one, title: One, steps: [ { id: ack, title: Ack, manual: true } ], gate: { title: Go? } }
`;

async function marginalSession() {
  const rb = loadRunbookText('rb.yaml', RUNBOOK, null).runbook!;
  const session = new Session({
    runbook: rb,
    runbookPath: 'rb.yaml',
    runbookSha256: '',
    operator: 'ci',
    mode: 'live',
    version: 't',
    executors: instantExecutors(),
    publishMs: 1,
  });
  await session.start();
  const t = session.now();
  const verdict: SessionEvent = { type: 'judge/verdict', t, score: 80, verdict: 'marginal', pass: 95, marginal: 75, metrics: [] };
  await session.emit(verdict);
  return session;
}

it('without --yes: stops at the gate, saying the canary is inconclusive', async () => {
  const session = await marginalSession();
  // The manual step is ticked by a person beforehand: the run reaches the gate.
  expect(session.act('ack')).toBeUndefined();
  await expect.poll(() => session.state.steps.ack?.status).toBe('passed');
  let out = '';
  expect(await runHeadless(session, { yes: false, out: (s) => void (out += s) })).toBe(EXIT.gate);
  expect(out).toMatch(
    /stopped at gate "Go\?": the canary score 80 of 100: MARGINAL \(pass ≥ 95, marginal ≥ 75\): a person decides go \/ no-go/,
  );
});

it('with --yes: the run decides go on the canary, journaled, and goes on', async () => {
  const session = await marginalSession();
  expect(await runHeadless(session, { yes: true, out: () => {} })).toBe(EXIT.done);
  expect(session.state.judge?.decided).toMatchObject({ decision: 'go', operator: 'ci', reason: 'unattended run (--yes)', score: 80 });
});
