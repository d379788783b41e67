/**
 * The replay player: the transport (play, pause, speed, seeks, steps, decisions) over a cursor
 * in the journal (cursor.ts) and a virtual clock (clock.ts). Read-only: it folds journaled events
 * with the reducer and never executes anything, whatever they say.
 */
import type { OutputTails } from '../core/output-tails.js';
import type { SessionState } from '../core/state.js';
import { stepSpeed, VirtualClock } from './clock.js';
import { Cursor } from './cursor.js';
import { idleSkip } from './idle.js';
import type { JournalIndex } from './indexer.js';
import { EventReader } from './reader.js';
import type { IntegrityWatch } from './integrity-watch.js';

/** How the player starts. */
export interface PlayerOptions {
  speed?: number;
  skipIdle?: boolean;
  /** Start this many ms after the session's start (clamped to the indexed part). */
  startAt?: number;
  /** Start paused (tests); default: playing. */
  paused?: boolean;
  /** The real clock (ms); injected so tests control time. */
  realNow?: () => number;
  /** The last event's time as read from the file's tail, for the time axis before indexing gets there. */
  expectedEnd?: number;
  /** The reader's clock (epoch ms) that events from the future are judged against (plausible.ts); tests pin it. */
  now?: number;
  /** Check the journal's integrity in the background (default true; openReplay does it). */
  verify?: boolean;
}

/** Plays an index back. */
export class Player {
  readonly reader: EventReader;
  readonly clock: VirtualClock;
  readonly skipIdle: boolean;
  /** Bumped on every visible change (position, clock, speed, indexing progress). */
  version = 0;
  /** A message for the progress line (no later decision, a file that changed on disk); cleared by the next move. */
  message: string | undefined;
  /** The journal's integrity check, under way or done (set by openReplay). */
  integrity: IntegrityWatch | undefined;
  private readonly cursor: Cursor;
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private readonly expectedEnd: number | undefined;

  constructor(
    readonly index: JournalIndex,
    o: PlayerOptions = {},
  ) {
    this.reader = new EventReader(index);
    this.cursor = new Cursor(index, this.reader);
    this.clock = new VirtualClock(o.realNow);
    this.skipIdle = o.skipIdle ?? false;
    this.expectedEnd = o.expectedEnd;
    if (o.speed !== undefined) this.clock.setSpeed(o.speed);
    this.moveTo(Math.min(1, index.count));
    this.seekTime(this.start + (o.startAt ?? 0));
    this.clock.setPlaying(!(o.paused ?? false));
  }

  /** Events folded into `state`. */
  get position(): number {
    return this.cursor.position;
  }

  /** The session as it was at the position. */
  get state(): SessionState {
    return this.cursor.state;
  }

  /** The commands' output tails as they were at the position. */
  get tails(): OutputTails {
    return this.cursor.tails;
  }

  /** Events folded by the last move. */
  get lastFolded(): number {
    return this.cursor.lastFolded;
  }

  /** Session start (the first event's time). */
  get start(): number {
    return this.index.count ? this.index.times.at(0) : 0;
  }

  /** Session end: the last indexed event once indexing is done, else the best guess so far. */
  get end(): number {
    const last = this.index.count ? this.index.times.at(this.index.count - 1) : 0;
    return this.index.done ? last : Math.max(last, this.expectedEnd ?? last);
  }

  /** Virtual now: what the panes show T+ and countdowns against. */
  now(): number {
    return Math.min(this.clock.now(), this.end);
  }

  /** Registers a listener; returns the unsubscribe function. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Tells listeners something visible changed. */
  changed(): void {
    this.version++;
    for (const fn of this.listeners) fn();
  }

  /** Starts the frame timer that advances playback; returns a function that stops it. */
  run(frameMs = 50): () => void {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), frameMs);
    return () => clearInterval(this.timer);
  }

  /** Space: pause, or play (from the start again when at the end). */
  togglePlay(): void {
    if (!this.clock.playing && this.atEnd()) this.seekTime(this.start);
    this.clock.setPlaying(!this.clock.playing);
    this.changed();
  }

  /** `[` / `]`. */
  changeSpeed(dir: 1 | -1): void {
    this.clock.setSpeed(stepSpeed(this.clock.speed, dir));
    this.changed();
  }

  /** Arrows: move the clock by `ms` of session time. */
  seekBy(ms: number): void {
    this.seekTime(this.now() + ms);
  }

  /** 0-9: jump to a fraction of the session. */
  seekFraction(f: number): void {
    this.seekTime(this.start + f * (this.end - this.start));
  }

  /** Moves to session time `t`: every event at or before it is folded (within what is indexed so far). */
  seekTime(t: number): void {
    const ix = this.index;
    const limit = ix.count ? ix.times.at(ix.count - 1) : this.start;
    const target = Math.max(this.start, Math.min(t, limit));
    // At least the first event stays folded: a replay shows a session, never an empty screen.
    this.moveTo(Math.max(Math.min(1, ix.count), ix.times.upperBound(target, ix.count)));
    this.clock.set(target);
    if (t > limit && !ix.done) this.message ??= 'not indexed that far yet; the bar shows how far indexing got';
    this.changed();
  }

  /** `.` / `,`: one event forward or back; the clock goes to that event's time. */
  stepEvent(dir: 1 | -1): void {
    this.clock.setPlaying(false);
    this.moveTo(Math.max(Math.min(1, this.index.count), Math.min(this.index.count, this.position + dir)));
    this.clock.set(this.position ? this.index.times.at(this.position - 1) : this.start);
    this.changed();
  }

  /** `n` / `p`: the next decision not yet folded, or the last one before the latest folded event. */
  jumpDecision(dir: 1 | -1): void {
    const d = this.index.decisions;
    const i = d.upperBound(this.position - (dir > 0 ? 1 : 2), d.length);
    const k = dir > 0 ? i : i - 1;
    if (k < 0 || k >= d.length) {
      this.message = dir > 0 ? (this.index.done ? 'no later decision' : 'no later decision indexed yet') : 'no earlier decision';
      return this.changed();
    }
    this.clock.setPlaying(false);
    this.moveTo(d.at(k) + 1);
    this.clock.set(this.index.times.at(this.position - 1));
    this.changed();
  }

  /** Whether the whole journal is folded. */
  atEnd(): boolean {
    return this.index.done && this.position >= this.index.count;
  }

  /** Advances while playing: folds the events the clock has passed; stops at the end. */
  tick(): void {
    if (!this.clock.playing) return;
    const ix = this.index;
    const skip = this.skipIdle ? idleSkip(ix, this.position, this.clock.now(), this.end) : undefined;
    if (skip !== undefined) this.clock.set(skip);
    const now = this.clock.now();
    const target = ix.times.upperBound(now, ix.count);
    if (target > this.position) this.moveTo(target);
    if (this.atEnd() && now >= this.end) {
      this.clock.setPlaying(false);
      this.clock.set(this.end);
    } else if (!ix.done && this.position >= ix.count && ix.count) this.clock.set(Math.min(now, ix.times.at(ix.count - 1)));
    this.changed();
  }

  /** Moves the cursor; a journal changed on disk stops playback and says so instead. */
  private moveTo(target: number): void {
    this.message = undefined;
    try {
      this.cursor.moveTo(target);
    } catch (err) {
      this.clock.setPlaying(false);
      this.message = (err as Error).message;
    }
  }
}
