// The auto-rollback countdown never fires before its end by the session's clock, even when the
// timer comes back early (Node's timers may fire a millisecond before Date.now() reaches it).
import { describe, expect, it } from 'vitest';
import { Countdown, type Schedule } from '../../src/session/countdown.js';

describe('Countdown', () => {
  it('a timer that fires early waits again for the rest; it fires once, at or after the end', () => {
    let now = 1000;
    const pending: (() => void)[] = [];
    // A timer that comes back as soon as it is run, whatever it was asked to wait.
    const early: Schedule = (_ms, fn) => {
      pending.push(fn);
      return () => undefined;
    };
    const fired: number[] = [];
    const c = new Countdown(() => now, early);
    c.arm(1500, () => fired.push(now));
    now = 1499;
    pending.shift()!();
    expect(fired).toEqual([]);
    expect(pending).toHaveLength(1);
    now = 1500;
    pending.shift()!();
    expect(fired).toEqual([1500]);
    expect(pending).toHaveLength(0);
  });
});
