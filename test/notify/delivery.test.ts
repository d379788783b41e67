// Notifications reach a real webhook receiver (node:http on 127.0.0.1): given a live session whose
// runbook notifies a Slack-style webhook of everything and a JSON one of gates and the end, when a
// trigger fires and resolves, a gate is decided, rollbacks fail, finish and are aborted and the
// session ends, then each webhook receives exactly its notifications, in order, with the body of
// its format, and the journal records each delivery (before session/ended) in a shape replay accepts.
import { afterEach, describe, expect, it } from 'vitest';
import { startSession } from '../../src/cli/run/start.js';
import { checkEvent } from '../../src/replay/validate.js';
import type { Executors } from '../../src/session/executors.js';
import type { Session } from '../../src/session/session.js';
import { tempDir } from '../journal/helpers.js';
import { instantExecutors } from '../ui/live.js';
import { startReceiver, type Receiver } from './receiver.js';
import { decideGate, journaled, notifyRunbook, notifySession, trigger, waitFor } from './session.js';
import { started } from '../core/fixtures.js';
import type { SessionEvent } from '../../src/core/index.js';

const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.stop();
});

/** Local steps that fail on the first call, pass on the second and run until cancelled on the third. */
function scriptedLocal(): Executors {
  let n = 0;
  return {
    ...instantExecutors(),
    local: (req) => {
      n++;
      if (n === 1) return Promise.resolve({ ok: false, summary: 'exit 1' });
      if (n === 2) return Promise.resolve({ ok: true, summary: 'exit 0' });
      return new Promise((resolve) => req.signal.addEventListener('abort', () => resolve({ ok: false, summary: 'cancelled' })));
    },
  };
}

/** Rollback runs that finished so far. */
function finishedRuns(session: Session): number {
  const { run, history } = session.state.rollback;
  return [...history, ...(run ? [run] : [])].filter((r) => r.finishedAt !== undefined).length;
}

describe('every notification, received with the body of its format', () => {
  it('slack gets {"text"} for all eight kinds in order; json gets text, the journaled event and the session for what it asked', async () => {
    const slack = await startReceiver();
    const json = await startReceiver();
    receivers.push(slack, json);
    const env = { CUTOVER_T_SLACK: slack.url, CUTOVER_T_JSON: json.url, XDG_STATE_HOME: tempDir() };
    const rb = notifyRunbook(
      [
        '  - { id: ops-slack, url: "${CUTOVER_T_SLACK}", format: slack }',
        '  - id: audit',
        '    url: "${CUTOVER_T_JSON}"',
        '    format: json',
        '    on: [gate/decided, session/ended]',
        '    template: "{{runbook}}: {{event}} {{decision}}{{outcome}} by {{operator}}"',
      ].join('\n'),
      env,
    );
    // Through startSession: the notifier is one of the drivers `cutover run` starts.
    const { session, journalPath } = await startSession({
      runbook: rb,
      runbookPath: 'notify.yaml',
      runbookSha256: '0'.repeat(64),
      operator: 'alice',
      mode: 'live',
      env,
      executors: scriptedLocal(),
    });
    await trigger(session, 'trigger/firing', 0.08);
    await trigger(session, 'trigger/resolved', 0.01);
    await decideGate(session, 'go');
    for (const ended of [1, 2]) {
      expect(session.confirmRollback('traffic')).toBeUndefined();
      await waitFor(() => finishedRuns(session) === ended, `rollback ${ended} to finish`);
    }
    expect(session.confirmRollback('traffic')).toBeUndefined();
    await waitFor(() => session.state.rollback.run?.steps.back?.status === 'started', 'the third rollback to run');
    expect(session.abortRollback('wrong level')).toBeUndefined();
    await session.rollbackSettled();
    await session.end('quit', 'done for tonight');

    const texts = slack.received.map((r) => r.json);
    for (const body of texts) expect(Object.keys(body)).toEqual(['text']);
    const lines = texts.map((b) => String(b.text).replace(/^\[checkout notify\] T\+\d\d:\d\d /, ''));
    expect(lines).toEqual([
      'trigger errors-high FIRING: Error rate 8% &gt; 5% for 30s (critical)',
      'trigger errors-high resolved: Error rate 1%, condition &gt; 5%',
      'gate pre: GO by alice',
      'rollback traffic confirmed by alice',
      expect.stringMatching(/^rollback traffic FAILED in \d+ms$/),
      'rollback traffic confirmed by alice',
      expect.stringMatching(/^rollback traffic finished in \d+ms$/),
      'rollback traffic confirmed by alice',
      'rollback traffic aborted by alice: wrong level',
      'session ended: quit (done for tonight)',
    ]);
    expect(String(texts[0].text)).toMatch(/^\[checkout notify\] T\+00:0\d trigger/);

    const events = journaled(journalPath);
    const gate = events.find((e) => e.type === 'gate/decided')!;
    expect(json.received.map((r) => r.json)).toEqual([
      {
        text: 'checkout notify: gate/decided go by alice',
        event: { seq: gate.seq, type: 'gate/decided', t: gate.t, phase: 'pre', decision: 'go', operator: 'alice' },
        session: { id: (events[0] as { sessionId: string }).sessionId, runbook: 'checkout notify', operator: 'alice' },
      },
      {
        text: 'checkout notify: session/ended quit by alice',
        event: { type: 'session/ended', t: expect.any(Number), outcome: 'quit', reason: 'done for tonight' },
        session: expect.objectContaining({ runbook: 'checkout notify' }),
      },
    ]);
    for (const r of [...slack.received, ...json.received]) expect(r.headers['content-type']).toBe('application/json; charset=utf-8');

    // The journal: one notify/delivered per notification, the seq of what it told, all before session/ended.
    const delivered = events.flatMap((e) => (e.type === 'notify/delivered' ? [e] : []));
    expect(delivered.every((e) => e.status === 200 && e.attempts === 1)).toBe(true);
    expect(delivered).toHaveLength(12);
    const byWebhook = (id: string) => delivered.filter((e) => e.webhook === id).map((e) => e.event);
    expect(byWebhook('audit')).toEqual(['gate/decided', 'session/ended']);
    expect(byWebhook('ops-slack')).toEqual([
      'trigger/firing',
      'trigger/resolved',
      'gate/decided',
      'rollback/confirmed',
      'rollback/failed',
      'rollback/confirmed',
      'rollback/finished',
      'rollback/confirmed',
      'rollback/aborted',
      'session/ended',
    ]);
    for (const d of delivered) {
      if (d.event === 'session/ended') expect(d.eventSeq).toBeUndefined();
      else expect(events.find((e) => e.seq === d.eventSeq)?.type).toBe(d.event === 'rollback/failed' ? 'rollback/finished' : d.event);
    }
    expect(events.at(-1)!.type).toBe('session/ended');
    for (const e of events) expect(checkEvent(e)).toMatchObject({ ok: true });
  });
});

describe('a resumed session', () => {
  it('does not tell again what the journal held before the restart, only what happens after', async () => {
    const hook = await startReceiver();
    receivers.push(hook);
    const env = { CUTOVER_T_HOOK: hook.url };
    const rb = notifyRunbook('  - { id: hook, url: "${CUTOVER_T_HOOK}", format: slack, on: [gate/decided, trigger/firing] }', env);
    const before: SessionEvent[] = [
      { ...started(rb), t: Date.now() - 60_000 },
      { type: 'gate/decided', t: Date.now() - 30_000, phase: 'pre', decision: 'go', operator: 'alice' },
    ];
    const { session, path } = await notifySession(rb, env, { resumeFrom: before });
    await trigger(session, 'trigger/firing', 0.09);
    await session.end('quit');
    expect(hook.received.map((r) => String(r.json.text))).toEqual([expect.stringMatching(/trigger errors-high FIRING/)]);
    expect(journaled(path).flatMap((e) => (e.type === 'notify/delivered' ? [e.event] : []))).toEqual(['trigger/firing']);
  });
});
