// The warmer's rules, on connections it is handed: one first report once every host was tried,
// retries with backoff that grows and is capped, changes reported together, nothing after stop.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { LevelReadiness } from '../../../src/core/events.js';
import { DOWN_NAMED, Warmer } from '../../../src/drivers/exec/warm.js';
import { until } from './helpers.js';

/** Hosts whose connections succeed or fail as the test says, recording when each attempt came. */
function fleet() {
  const fail = new Map<string, string>();
  const attempts: { host: string; at: number }[] = [];
  const open = new Map<string, EventEmitter>();
  const connect = async (host: string) => {
    attempts.push({ host, at: Date.now() });
    const why = fail.get(host);
    if (why) throw new Error(`${host}: ${why}`);
    const c = new EventEmitter();
    open.set(host, c);
    return c;
  };
  return { fail, attempts, open, connect };
}

describe('Warmer', () => {
  it('reports once every host was tried, naming the first hosts that are not ready and why', async () => {
    const f = fleet();
    const hosts = Array.from({ length: 8 }, (_, i) => `h${i}`);
    for (const h of hosts.slice(1)) f.fail.set(h, 'connect ECONNREFUSED');
    const reports: LevelReadiness[][] = [];
    const w = new Warmer(
      [
        { level: 'full', hosts },
        { level: 'traffic', hosts: ['h0'] },
      ],
      f.connect,
      (r) => reports.push(r),
      {
        minBackoffMs: 60_000,
      },
    );
    w.start();
    await until(() => reports.length === 1, 'the first report');
    expect(reports[0][1]).toEqual({ level: 'traffic', ready: 1, total: 1, down: [] });
    expect(reports[0][0]).toMatchObject({ level: 'full', ready: 1, total: 8 });
    expect(reports[0][0].down).toHaveLength(DOWN_NAMED);
    expect(reports[0][0].down[0]).toEqual({ host: 'h1', error: 'connect ECONNREFUSED' });
    // h0 serves both levels: one connection.
    expect(f.attempts.filter((a) => a.host === 'h0')).toHaveLength(1);
    w.stop();
  });

  it('retries a failing host with growing waits, and reports when it comes up', async () => {
    const f = fleet();
    f.fail.set('a', 'timed out');
    const reports: LevelReadiness[][] = [];
    const w = new Warmer([{ level: 'l', hosts: ['a'] }], f.connect, (r) => reports.push(r), {
      minBackoffMs: 20,
      maxBackoffMs: 80,
      coalesceMs: 0,
    });
    w.start();
    await until(() => f.attempts.length >= 5, 'five attempts');
    const gaps = f.attempts.slice(1, 5).map((a, i) => a.at - f.attempts[i].at);
    // 20, 40, 80, 80 ms, each ±20%, plus timer slack.
    expect(gaps[0]).toBeGreaterThanOrEqual(15);
    expect(gaps[2]).toBeGreaterThanOrEqual(60);
    expect(gaps[3]).toBeGreaterThanOrEqual(60);
    expect(gaps[3]).toBeLessThan(400);
    expect(reports).toHaveLength(1); // the same failure again is not news
    f.fail.delete('a');
    await until(() => reports.length === 2, 'the report that it is up');
    expect(reports[1][0]).toEqual({ level: 'l', ready: 1, total: 1, down: [] });
    w.stop();
  });

  it('a dropped connection is reported, then reconnected; after stop nothing more happens', async () => {
    const f = fleet();
    const reports: LevelReadiness[][] = [];
    const w = new Warmer([{ level: 'l', hosts: ['a', 'b'] }], f.connect, (r) => reports.push(r), { minBackoffMs: 10, coalesceMs: 0 });
    w.start();
    await until(() => reports.length === 1, 'the first report');
    f.open.get('a')!.emit('close');
    await until(() => reports.length === 3, 'the drop and the return');
    expect(reports[1][0]).toMatchObject({ ready: 1, down: [{ host: 'a', error: 'connection lost; reconnecting' }] });
    expect(reports[2][0]).toMatchObject({ ready: 2, down: [] });
    w.stop();
    const n = f.attempts.length;
    f.open.get('b')!.emit('close');
    await new Promise((r) => setTimeout(r, 50));
    expect(f.attempts.length).toBe(n);
    expect(reports).toHaveLength(3);
  });

  it('a host that accepts and drops at once backs off like one that refuses (the backoff resets only after a connection held)', async () => {
    const at: number[] = [];
    const w = new Warmer(
      [{ level: 'l', hosts: ['flappy'] }],
      async () => {
        at.push(Date.now());
        const c = new EventEmitter();
        setImmediate(() => c.emit('close'));
        return c;
      },
      () => {},
      { minBackoffMs: 20, maxBackoffMs: 80, coalesceMs: 0 },
    );
    w.start();
    await until(() => at.length >= 5, 'five connections');
    w.stop();
    const gaps = at.slice(1, 5).map((t, i) => t - at[i]);
    // 20, 40, 80, 80 ms (±20%): growing, where a reset on every connect would keep them at 20.
    expect(gaps[2]).toBeGreaterThanOrEqual(60);
    expect(gaps[3]).toBeGreaterThanOrEqual(60);
  });

  it('never opens more connections at once than its concurrency', async () => {
    let inFlight = 0;
    let most = 0;
    const hosts = Array.from({ length: 20 }, (_, i) => `h${i}`);
    const reports: LevelReadiness[][] = [];
    const w = new Warmer(
      [{ level: 'l', hosts }],
      async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return new EventEmitter();
      },
      (r) => reports.push(r),
      { concurrency: 4 },
    );
    w.start();
    await until(() => reports.length === 1, 'the first report');
    expect(most).toBe(4);
    expect(reports[0][0]).toMatchObject({ ready: 20, total: 20 });
    w.stop();
  });
});
