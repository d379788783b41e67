/** The auto-rollback countdown, on the session's injectable clock and timer (tests move time by hand). */

/** Calls `fn` after `ms`; returns a function that cancels it. */
export type Schedule = (ms: number, fn: () => void) => () => void;

/** The real timer. */
export const realSchedule: Schedule = (ms, fn) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/** One pending auto rollback at a time: arming a new one replaces the old. */
export class Countdown {
  private cancel: (() => void) | undefined;
  private armed: object | undefined;

  constructor(
    private readonly now: () => number,
    private readonly schedule: Schedule,
  ) {}

  /** Calls `fire` at `until` (by the session's clock) unless cleared or re-armed first. */
  arm(until: number, fire: () => void): void {
    this.clear();
    const token = {};
    this.armed = token;
    this.wait(token, until, fire);
  }

  private wait(token: object, until: number, fire: () => void): void {
    this.cancel = this.schedule(Math.max(0, until - this.now()), () => {
      if (this.armed !== token) return;
      // A timer may fire a millisecond before the clock reads `until`: never roll back before the countdown ends.
      if (this.now() < until) return this.wait(token, until, fire);
      this.armed = undefined;
      this.cancel = undefined;
      fire();
    });
  }

  /** Stops the pending countdown, if any. */
  clear(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.armed = undefined;
  }
}
