/** The replay's virtual clock: session time that runs at a speed while playing and stands still when paused. */

/** Speeds that `[` and `]` step through. */
export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64] as const;
/** Slowest speed. */
export const MIN_SPEED = SPEEDS[0];
/** Fastest speed. */
export const MAX_SPEED = SPEEDS[SPEEDS.length - 1];

/** Session time driven by a real clock (injected, so tests can drive it). */
export class VirtualClock {
  private base = 0;
  private anchor = 0;
  private running = false;
  private rate = 1;

  constructor(private readonly real: () => number = () => performance.now()) {}

  /** Session time now. */
  now(): number {
    return this.running ? this.base + (this.real() - this.anchor) * this.rate : this.base;
  }

  /** Whether time is running. */
  get playing(): boolean {
    return this.running;
  }

  /** The speed (session ms per real ms). */
  get speed(): number {
    return this.rate;
  }

  /** Sets session time (a seek); keeps playing if it was. */
  set(t: number): void {
    this.base = t;
    this.anchor = this.real();
  }

  /** Starts or stops time, keeping the time reached. */
  setPlaying(on: boolean): void {
    this.set(this.now());
    this.running = on;
  }

  /** Changes the speed from now on, clamped to 0.25x-64x. */
  setSpeed(speed: number): void {
    this.set(this.now());
    this.rate = Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
  }
}

/** The next preset speed up (`]`) or down (`[`) from `speed`. */
export function stepSpeed(speed: number, dir: 1 | -1): number {
  if (dir > 0) return SPEEDS.find((s) => s > speed + 1e-9) ?? MAX_SPEED;
  return [...SPEEDS].reverse().find((s) => s < speed - 1e-9) ?? MIN_SPEED;
}

/** Parses `T+MM:SS`, `T+H:MM:SS`, `MM:SS` or a duration like `90s`/`5m` into ms; undefined when it is none. */
export function parseOffset(text: string): number | undefined {
  const m = /^(?:T\+)?(?:(\d+):)?(\d{1,3}):(\d{2})$/.exec(text.trim());
  if (m) return ((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000;
  const d = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!d) return undefined;
  return Math.round(Number(d[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[d[2] as 'ms' | 's' | 'm' | 'h']);
}
