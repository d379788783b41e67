// A webhook's faults, against a real receiver on 127.0.0.1: given a live session that notifies a
// receiver that is slow, refuses connections, answers 500 (or 429) before 200, answers 400, or
// redirects, when a gate is decided, then the notifier retries what another attempt may fix (and
// only that), journals each outcome, follows redirects only within the origin, and never keeps
// the console waiting, not even at the end.
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/index.js';
import { startReceiver, refusingUrl, type Answer, type Receiver } from './receiver.js';
import { decideGate, journaled, notifyRunbook, notifySession, trigger, waitFor } from './session.js';

const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.stop();
});

async function receiver(answer: (n: number, path: string) => Answer): Promise<Receiver> {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

type Notified = Extract<SessionEvent, { type: 'notify/delivered' | 'notify/failed' }>;
const outcomes = (path: string): Notified[] =>
  journaled(path).flatMap((e) => (e.type === 'notify/delivered' || e.type === 'notify/failed' ? [e as Notified] : []));

/** One webhook at `url` told only of gates; decides the gate, ends the session, returns the journal. */
async function gateOnce(url: string, extra = '', o: { graceMs?: number } = {}) {
  const env = { CUTOVER_T_HOOK: url };
  const rb = notifyRunbook(`  - { id: hook, url: "\${CUTOVER_T_HOOK}", format: slack, on: [gate/decided]${extra} }`, env);
  const { session, path } = await notifySession(rb, env, { graceMs: o.graceMs ?? 10_000 });
  await decideGate(session, 'go');
  await session.end('quit');
  return { path, outcomes: outcomes(path), events: journaled(path) };
}

describe('retries: what another attempt may fix, and only that', () => {
  it('a receiver that answers after the timeout: three attempts, then notify/failed', async () => {
    const slow = await receiver(() => ({ status: 200, delayMs: 2000 }));
    const { outcomes: out } = await gateOnce(slow.url, ', timeout: 200ms');
    expect(slow.received).toHaveLength(3);
    expect(out).toEqual([expect.objectContaining({ type: 'notify/failed', webhook: 'hook', event: 'gate/decided', attempts: 3 })]);
    expect((out[0] as { error: string }).error).toBe('no answer within 200ms');
  });

  it('a receiver that refuses connections: three attempts, then notify/failed', async () => {
    const { outcomes: out } = await gateOnce(await refusingUrl());
    expect(out).toEqual([expect.objectContaining({ type: 'notify/failed', attempts: 3, error: 'connection refused' })]);
  });

  it('500 then 200: the retry delivers, the same body twice', async () => {
    const flaky = await receiver((n) => (n === 1 ? { status: 500, body: 'database is down' } : { status: 200 }));
    const { outcomes: out } = await gateOnce(flaky.url);
    expect(out).toEqual([expect.objectContaining({ type: 'notify/delivered', status: 200, attempts: 2 })]);
    expect(flaky.received.map((r) => r.body)).toEqual([flaky.received[0].body, flaky.received[0].body]);
  });

  it('429 with Retry-After: 1 is honoured before the next attempt', async () => {
    const busy = await receiver((n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
    const { outcomes: out } = await gateOnce(busy.url);
    expect(out).toEqual([expect.objectContaining({ type: 'notify/delivered', attempts: 2 })]);
    // Without it the next attempt comes after the shortest backoff (250 ms here).
    expect(busy.received[1].at - busy.received[0].at).toBeGreaterThanOrEqual(950);
  });

  it('400: no retry, notify/failed with the status and what the receiver said', async () => {
    const picky = await receiver(() => ({ status: 400, body: 'invalid_payload' }));
    const { outcomes: out } = await gateOnce(picky.url);
    expect(picky.received).toHaveLength(1);
    expect(out).toEqual([expect.objectContaining({ type: 'notify/failed', status: 400, attempts: 1, error: 'HTTP 400: invalid_payload' })]);
  });
});

describe('redirects', () => {
  it('to another origin: refused, and the other origin receives nothing', async () => {
    const elsewhere = await receiver(() => ({ status: 200 }));
    const moved = await receiver(() => ({ status: 307, headers: { location: elsewhere.url } }));
    const { outcomes: out } = await gateOnce(moved.url);
    expect(elsewhere.received).toHaveLength(0);
    expect(moved.received).toHaveLength(1);
    expect(out).toEqual([expect.objectContaining({ type: 'notify/failed', status: 307, attempts: 1 })]);
    expect((out[0] as { error: string }).error).toBe(
      `redirected (HTTP 307) to another origin, ${elsewhere.origin}; cutover posts only to the configured origin: point the webhook url at the final address`,
    );
  });

  it('within the origin: followed, the notification posted again at the new path', async () => {
    const hop = await receiver((_, path) => (path === '/hook' ? { status: 308, headers: { location: '/hook/v2' } } : { status: 200 }));
    const { outcomes: out } = await gateOnce(hop.url);
    expect(hop.received.map((r) => r.path)).toEqual(['/hook', '/hook/v2']);
    expect(hop.received[1].json).toEqual(hop.received[0].json);
    expect(out).toEqual([expect.objectContaining({ type: 'notify/delivered', status: 200, attempts: 1 })]);
  });
});

describe('the console never waits for a webhook', () => {
  it('while the receiver hangs, events are journaled and decisions resolve at once; the end waits only its grace', async () => {
    const stuck = await receiver(() => ({ hang: true }));
    const env = { CUTOVER_T_HOOK: stuck.url };
    const rb = notifyRunbook('  - { id: hook, url: "${CUTOVER_T_HOOK}", format: json, timeout: 5s }', env);
    const { session, path } = await notifySession(rb, env, { graceMs: 300 });
    const t0 = performance.now();
    await decideGate(session, 'go');
    for (let i = 0; i < 10; i++) {
      await trigger(session, 'trigger/firing', 0.08);
      await trigger(session, 'trigger/resolved', 0.01);
    }
    // On disk promptly: the first notification is still waiting for its answer, the rest queued behind it.
    await waitFor(() => journaled(path).filter((e) => e.type.startsWith('trigger/')).length === 20, 'the triggers on disk');
    const decided = performance.now() - t0;
    expect(decided).toBeLessThan(1000);
    await waitFor(() => stuck.received.length === 1, 'the first notification to arrive');

    const t1 = performance.now();
    await session.end('quit');
    const ending = performance.now() - t1;
    expect(ending).toBeGreaterThanOrEqual(250);
    expect(ending).toBeLessThan(2000);
    const events = journaled(path);
    const failed = events.flatMap((e) => (e.type === 'notify/failed' ? [e] : []));
    // The gate, twenty trigger transitions and the end: each journaled as not delivered, before session/ended.
    expect(failed).toHaveLength(22);
    expect(failed[0]).toMatchObject({ event: 'gate/decided', attempts: 1 });
    expect(failed[0].error).toMatch(/^not delivered: the session ended \(cutover waits 300ms for the last notifications\)$/);
    expect(failed.slice(1).every((e) => e.attempts === 0)).toBe(true);
    expect(events.at(-1)!.type).toBe('session/ended');
    // One request in flight per webhook: nothing else was sent while the first hung.
    expect(stuck.received).toHaveLength(1);
  });

  it('a full queue drops the oldest waiting notification, and journals that it did', async () => {
    const stuck = await receiver(() => ({ hang: true }));
    const env = { CUTOVER_T_HOOK: stuck.url };
    const rb = notifyRunbook('  - { id: hook, url: "${CUTOVER_T_HOOK}", format: slack, on: [trigger/firing] }', env);
    const { session, path } = await notifySession(rb, env, { graceMs: 100, max: 2 });
    for (let i = 0; i < 5; i++) await trigger(session, 'trigger/firing', 0.06 + i / 100);
    await session.end('quit');
    const failed = journaled(path).flatMap((e) => (e.type === 'notify/failed' ? [e] : []));
    const firing = journaled(path).flatMap((e) => (e.type === 'trigger/firing' ? [e.seq] : []));
    // In flight: the first; waiting: two at most; so the second and third were dropped for the fourth and fifth.
    expect(failed.map((e) => [e.eventSeq, e.attempts, e.error.split(':')[0]])).toEqual([
      [firing[1], 0, 'dropped'],
      [firing[2], 0, 'dropped'],
      [firing[0], 1, 'not delivered'],
      [firing[3], 0, 'not delivered'],
      [firing[4], 0, 'not delivered'],
    ]);
  });
});
