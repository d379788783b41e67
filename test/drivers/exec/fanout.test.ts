import { describe, expect, it } from 'vitest';
import { fanout } from '../../../src/drivers/exec/fanout.js';
import { resolveBatch, resolveMaxFail } from '../../../src/runbook/amount.js';

/** A fake launch that records start/end order; host i fails when `fails` has i, takes `ms(i)`. */
function fake(fails: number[] = [], ms: (i: number) => number = () => 5) {
  const log: string[] = [];
  let inFlight = 0;
  let peak = 0;
  const launch = async (i: number) => {
    log.push(`+${i}`);
    peak = Math.max(peak, ++inFlight);
    await new Promise((r) => setTimeout(r, ms(i)));
    inFlight--;
    log.push(`-${i}`);
    return { i, ok: !fails.includes(i) };
  };
  return { log, launch, peak: () => peak };
}
const failed = (v: { ok: boolean }) => !v.ok;

describe('amount resolution', () => {
  const batch: [string, Parameters<typeof resolveBatch>[0], number, number][] = [
    ['unset: whole group', undefined, 10, 10],
    ['count', { count: 3 }, 10, 3],
    ['count above the group', { count: 50 }, 10, 10],
    ['count 0: whole group (Ansible serial 0)', { count: 0 }, 10, 10],
    ['25% of 10 rounds down', { percent: 25 }, 10, 2],
    ['30% of 10 is exactly 3', { percent: 30 }, 10, 3],
    ['10% of 5 is at least one host', { percent: 10 }, 5, 1],
    ['100%', { percent: 100 }, 7, 7],
  ];
  it.each(batch)('batch %s', (_, a, total, want) => expect(resolveBatch(a, total)).toBe(want));

  const maxFail: [string, Parameters<typeof resolveMaxFail>[0], number, number][] = [
    ['unset tolerates everything', undefined, 10, Infinity],
    ['0 tolerates none', { count: 0 }, 10, 0],
    ['count', { count: 2 }, 10, 2],
    ['25% of 10 tolerates 2', { percent: 25 }, 10, 2],
    ['10% of 5 tolerates 0', { percent: 10 }, 5, 0],
    ['50% of 4 tolerates 2', { percent: 50 }, 4, 2],
  ];
  it.each(maxFail)('maxFail %s', (_, a, total, want) => expect(resolveMaxFail(a, total)).toBe(want));
});

describe('fanout', () => {
  it('returns results in host order whatever the finishing order', async () => {
    const f = fake([], (i) => 30 - i * 5);
    const { slots } = await fanout(5, f.launch, failed, { concurrency: 5 });
    expect(slots.map((s) => (s.launched ? s.value.i : -1))).toEqual([0, 1, 2, 3, 4]);
    expect(f.log.slice(5)).toEqual(['-4', '-3', '-2', '-1', '-0']);
  });

  it('never has more than `concurrency` hosts in flight', async () => {
    const f = fake();
    await fanout(20, f.launch, failed, { concurrency: 3 });
    expect(f.peak()).toBe(3);
  });

  it('runs batch after batch: a batch starts when the previous one has finished', async () => {
    const f = fake([], (i) => (i % 2 ? 20 : 5));
    await fanout(5, f.launch, failed, { concurrency: 10, batchSize: 2 });
    expect(f.log).toEqual(['+0', '+1', '-0', '-1', '+2', '+3', '-2', '-3', '+4', '-4']);
  });

  it('maxFail 0 stops launching at the first failure; running hosts finish; the rest are skipped', async () => {
    const f = fake([1], (i) => (i === 1 ? 1 : 40));
    const r = await fanout(6, f.launch, failed, { concurrency: 2, maxFailures: 0 });
    expect(r.tripped).toBe(true);
    expect(f.log.filter((x) => x.startsWith('+'))).toEqual(['+0', '+1']);
    expect(f.log).toContain('-0');
    expect(r.slots.map((s) => (s.launched ? 'ran' : s.reason))).toEqual(['ran', 'ran', 'max-fail', 'max-fail', 'max-fail', 'max-fail']);
  });

  it('trips when failures exceed maxFail, not when they reach it', async () => {
    const f = fake([1, 2]);
    const r = await fanout(6, f.launch, failed, { concurrency: 1, maxFailures: 1 });
    expect(f.log.filter((x) => x.startsWith('+'))).toEqual(['+0', '+1', '+2']);
    expect(r.slots.filter((s) => !s.launched).length).toBe(3);
    const g = fake([1]);
    const r2 = await fanout(6, g.launch, failed, { concurrency: 1, maxFailures: 1 });
    expect(r2.tripped).toBe(false);
    expect(r2.slots.every((s) => s.launched)).toBe(true);
  });

  it('maxFail stops at the end of the batch in which it trips', async () => {
    const f = fake([0]);
    const r = await fanout(6, f.launch, failed, { concurrency: 10, batchSize: 3, maxFailures: 0 });
    expect(f.log.filter((x) => x.startsWith('+'))).toEqual(['+0', '+1', '+2']);
    expect(r.slots.map((s) => s.launched)).toEqual([true, true, true, false, false, false]);
  });

  it('cancel stops launching; hosts not launched are reported cancelled', async () => {
    const ac = new AbortController();
    const f = fake([], () => 20);
    const p = fanout(
      10,
      async (i) => {
        if (i === 1) ac.abort();
        return f.launch(i);
      },
      failed,
      { concurrency: 1, signal: ac.signal },
    );
    const r = await p;
    expect(r.slots.filter((s) => s.launched).length).toBe(2);
    expect(r.slots[5]).toEqual({ launched: false, reason: 'cancelled' });
  });

  it('handles an empty group', async () => {
    expect(
      (
        await fanout(
          0,
          async () => 1,
          () => false,
          { concurrency: 4 },
        )
      ).slots,
    ).toEqual([]);
  });
});
