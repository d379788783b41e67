// Given a live session with its metrics endpoint, when it goes through steps, a gate, triggers, a
// rollback and a failing journal, then each cutover_* series scraped over HTTP says so, and a value
// that no longer holds (a rollback that finished, a trigger that resolved) is not left behind.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reduceAll, type SessionEvent } from '../../src/core/index.js';
import { JournalWriter } from '../../src/journal/index.js';
import { sessionSeries } from '../../src/metrics/series.js';
import type { Executors } from '../../src/session/executors.js';
import { T0, at, runbook, started } from '../core/fixtures.js';
import { tempDir } from '../journal/helpers.js';
import { failWrites } from '../support/disk-full.js';
import { instantExecutors } from '../ui/live.js';
import { parseExposition, pick, sampleOf } from './scrape.js';
import { holdingExecutors, liveWithMetrics, type LiveMetrics } from './session.js';

let running: LiveMetrics | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
  vi.restoreAllMocks();
});

async function live(exec: Executors, journal?: JournalWriter<SessionEvent>): Promise<LiveMetrics> {
  running = await liveWithMetrics(exec, journal);
  return running;
}

const oneHot = (samples: ReturnType<typeof parseExposition>, name: string, labels: Record<string, string>) =>
  Object.fromEntries(pick(samples, name, labels).map((x) => [x.labels.state ?? x.labels.decision, x.value]));

describe('cutover_* series of a live session', () => {
  it('session info, phases, steps, gate, triggers, rollback, readiness and SSH connections follow the session', async () => {
    const exec = holdingExecutors();
    const { s, get } = await live(exec);
    let m = await get();
    const id = s.state.session!.id;
    expect(
      sampleOf(m, 'cutover_session_info', { runbook: 'checkout-api v2.1.0 (blue-green)', operator: 'alice', session_id: id, mode: 'live' }),
    ).toBe(1);
    expect(sampleOf(m, 'cutover_session_start_time_seconds')).toBe(s.state.session!.startedAt / 1000);
    expect(oneHot(m, 'cutover_phase_state', { phase: 'pre' })).toEqual({
      locked: 0,
      pending: 1,
      running: 0,
      failed: 0,
      gate: 0,
      done: 0,
      'no-go': 0,
    });
    expect(sampleOf(m, 'cutover_phase_state', { phase: 'cutover-50', state: 'locked' })).toBe(1);
    expect(sampleOf(m, 'cutover_step_state', { phase: 'pre', step: 'backup', state: 'pending' })).toBe(1);
    expect(oneHot(m, 'cutover_gate_decision', { phase: 'pre' })).toEqual({ undecided: 1, go: 0, 'no-go': 0 });
    expect(pick(m, 'cutover_gate_decision', { phase: 'cutover-50' })).toEqual([]);
    expect(sampleOf(m, 'cutover_trigger_state', { trigger: 'errors-high', severity: 'critical' })).toBe(0);
    expect(sampleOf(m, 'cutover_trigger_state', { trigger: 'p95-slow', severity: 'major' })).toBe(0);
    expect(pick(m, 'cutover_rollback_in_progress').map((x) => [x.labels.level, x.value])).toEqual([
      ['traffic', 0],
      ['code', 0],
    ]);
    expect(sampleOf(m, 'cutover_rollbacks_total', { level: 'traffic', outcome: 'ok' })).toBe(0);
    expect(sampleOf(m, 'cutover_ssh_connections')).toBe(0);
    expect(sampleOf(m, 'cutover_journal_not_recording')).toBe(0);

    // Steps: backup ticked, the others skipped; the gate says go.
    expect(s.act('backup')).toBeUndefined();
    for (const step of ['green-health', 'err-low', 'lb-up']) expect(s.skip(step, 'checked by hand')).toBeUndefined();
    // The tick is launched, not folded at once: wait for it as the console's frame would.
    await expect.poll(() => s.state.steps.backup?.status).toBe('passed');
    await s.store.settled();
    m = await get();
    expect(sampleOf(m, 'cutover_step_state', { step: 'backup', state: 'passed' })).toBe(1);
    expect(sampleOf(m, 'cutover_step_state', { step: 'lb-up', state: 'skipped' })).toBe(1);
    expect(sampleOf(m, 'cutover_step_state', { step: 'lb-up', state: 'pending' })).toBe(0);
    expect(sampleOf(m, 'cutover_phase_state', { phase: 'pre', state: 'gate' })).toBe(1);
    expect(s.decideGate('pre', 'go', '')).toBeUndefined();
    await s.store.settled();
    m = await get();
    expect(oneHot(m, 'cutover_gate_decision', { phase: 'pre' })).toEqual({ undecided: 0, go: 1, 'no-go': 0 });
    expect(sampleOf(m, 'cutover_phase_state', { phase: 'pre', state: 'done' })).toBe(1);
    expect(sampleOf(m, 'cutover_phase_state', { phase: 'cutover-50', state: 'pending' })).toBe(1);

    // A trigger goes pending, then firing, then resolves: the code follows, and goes back to 0.
    const trig = { trigger: 'errors-high', value: 0.09, check: '> 0.05', since: s.now() };
    await s.emit({ type: 'trigger/pending', t: s.now(), ...trig });
    expect(sampleOf(await get(), 'cutover_trigger_state', { trigger: 'errors-high' })).toBe(1);
    await s.emit({ type: 'trigger/firing', t: s.now(), ...trig });
    await s.emit({ type: 'rollback/recommended', t: s.now(), level: 'traffic', trigger: 'errors-high', reason: 'errors' });
    m = await get();
    expect(sampleOf(m, 'cutover_trigger_state', { trigger: 'errors-high' })).toBe(2);
    expect(sampleOf(m, 'cutover_rollback_recommended', { level: 'traffic' })).toBe(1);

    // The warm pool: readiness per level.
    await s.emit({
      type: 'rollback/readiness',
      t: s.now(),
      levels: [
        { level: 'traffic', ready: 1, total: 1, down: [] },
        { level: 'code', ready: 1, total: 2, down: [{ host: 'app-b2.internal', error: 'refused' }] },
      ],
    });
    exec.conns = 3;
    m = await get();
    expect(sampleOf(m, 'cutover_rollback_hosts_ready', { level: 'code' })).toBe(1);
    expect(sampleOf(m, 'cutover_rollback_hosts', { level: 'code' })).toBe(2);
    expect(sampleOf(m, 'cutover_rollback_hosts_ready', { level: 'traffic' })).toBe(1);
    expect(sampleOf(m, 'cutover_ssh_connections')).toBe(3);

    // The rollback runs (held), then finishes: in progress 1, then 0, and counted once as ok.
    expect(s.confirmRollback('traffic')).toBeUndefined();
    await expect.poll(async () => sampleOf(await get(), 'cutover_rollback_in_progress', { level: 'traffic' })).toBe(1);
    expect(sampleOf(await get(), 'cutover_rollback_in_progress', { level: 'code' })).toBe(0);
    exec.release();
    await s.rollbackSettled();
    await s.store.settled();
    m = await get();
    expect(sampleOf(m, 'cutover_rollback_in_progress', { level: 'traffic' })).toBe(0);
    expect(sampleOf(m, 'cutover_rollbacks_total', { level: 'traffic', outcome: 'ok' })).toBe(1);
    expect(sampleOf(m, 'cutover_rollbacks_total', { level: 'traffic', outcome: 'failed' })).toBe(0);
    expect(sampleOf(m, 'cutover_rollback_recommended', { level: 'traffic' })).toBe(0);
    await s.emit({ type: 'trigger/resolved', t: s.now(), ...trig });
    m = await get();
    expect(sampleOf(m, 'cutover_trigger_state', { trigger: 'errors-high' })).toBe(0);
    expect(sampleOf(m, 'cutover_last_event_time_seconds')).toBe(s.state.t / 1000);
  });

  it('the journal failing: NOT RECORDING is 1 while it fails, the failure is counted once, and 0 again once it writes', async () => {
    const journal = await JournalWriter.create<SessionEvent>(join(tempDir(), 'j.jsonl'));
    let full = false;
    failWrites(() => full);
    const { s, get } = await live(instantExecutors(), journal);
    expect(sampleOf(await get(), 'cutover_journal_write_failures_total')).toBe(0);
    full = true;
    s.note('filling up');
    await expect.poll(async () => sampleOf(await get(), 'cutover_journal_not_recording')).toBe(1);
    s.note('still full');
    expect(sampleOf(await get(), 'cutover_journal_write_failures_total')).toBe(1);
    full = false;
    await expect.poll(async () => sampleOf(await get(), 'cutover_journal_not_recording'), { timeout: 5000 }).toBe(0);
    expect(sampleOf(await get(), 'cutover_journal_write_failures_total')).toBe(1);
  });

  it('a trigger that a resumed, edited runbook no longer has leaves the metrics (no stale series)', async () => {
    const rb = runbook();
    let state = reduceAll([started(rb), at(60, { type: 'trigger/firing', trigger: 'p95-slow', value: 3, check: 'ratio > 2', since: T0 })]);
    const series = sessionSeries(() => ({ state: () => state, now: () => T0, connections: () => 0, notRecording: () => undefined }));
    const scrapeNow = async () => parseExposition(await series.registry.metrics());
    expect(sampleOf(await scrapeNow(), 'cutover_trigger_state', { trigger: 'p95-slow', severity: 'major' })).toBe(2);
    const edited = { ...rb, rollback: { ...rb.rollback!, triggers: rb.rollback!.triggers!.filter((t) => t.id !== 'p95-slow') } };
    state = reduceAll([at(120, { type: 'session/resumed', operator: 'alice', afterSeq: 2, runbook: edited })], state);
    const after = await scrapeNow();
    expect(pick(after, 'cutover_trigger_state', { trigger: 'p95-slow' })).toEqual([]);
    expect(sampleOf(after, 'cutover_trigger_state', { trigger: 'errors-high' })).toBe(0);
  });

  it('counts notify/failed events (by their type string) and no other', () => {
    const series = sessionSeries(() => undefined);
    series.event({ type: 'notify/failed' });
    series.event({ type: 'notify/sent' });
    series.event({ type: 'notify/failed' });
    return series.registry.metrics().then((text) => {
      expect(sampleOf(parseExposition(text), 'cutover_notification_failures_total')).toBe(2);
      // No session yet: no session series at all, not zeros that would read as a session.
      expect(pick(parseExposition(text), 'cutover_session_info')).toEqual([]);
    });
  });

  it("the store's tap hears each folded event until unsubscribed; a closed endpoint refuses connections", async () => {
    const { s, m } = await live(instantExecutors());
    const seen: string[] = [];
    const off = s.store.tap((e) => seen.push(e.type));
    s.note('hello');
    await s.store.settled();
    off();
    s.note('not heard');
    await s.store.settled();
    expect(seen).toEqual(['note/added']);
    await m.close();
    await expect(fetch(m.url)).rejects.toThrow();
  });
});
