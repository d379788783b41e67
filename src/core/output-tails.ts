/**
 * The last lines of each command's output, kept outside the reduced state. An output event then
 * costs the same with 10 commands or 10,000: the reducer does not copy the `commands` record for
 * it, and a tail (tail.ts) keeps the event's text as it is, without copying what it holds.
 *
 * It is a fold like `reduce`, fed the same events in the same order (the live store, replay and
 * its snapshots), so folding a journal gives the same tails as the live session had. Unlike the
 * state it is mutable, and bounded:
 * - per command: the last OUTPUT_TAIL_LINES lines and at most OUTPUT_TAIL_CHARS characters;
 * - finished commands: at most FINISHED_TAILS tails kept, the earliest finished evicted first;
 * - all tails together: about TOTAL_TAIL_CHARS characters. Over it, finished tails are evicted
 *   first (earliest finished first); then the running command whose output went over is cut to
 *   its fair share (the total divided by the running commands): 10,000 hosts streaming get their
 *   last few dozen lines each, a few hundred get all 200. A running tail is never evicted.
 * Nothing is lost: the journal has every line; an evicted tail reads as undefined.
 */
import type { SessionEvent } from './events.js';
import { Tail, type TailRecord } from './tail.js';

export { Tail, type TailRecord } from './tail.js';

/** Lines kept per command. */
export const OUTPUT_TAIL_LINES = 200;
/** Characters kept per command: 200 lines of 4,096 characters (the exec driver's line cap) would be 800K; a pane shows a few K. */
export const OUTPUT_TAIL_CHARS = 64 * 1024;
/** Tails of finished commands kept: a rollback on a few hundred hosts keeps every host's. */
export const FINISHED_TAILS = 1000;
/**
 * Characters in all tails together (about 6 MB of one-byte strings): finished tails go first, then
 * running ones shrink to a share. 200 hosts streaming keep all 200 lines each (3.6M characters of
 * 90-character lines) and the step before's; a larger total only fills up later in the night, and
 * the console's memory would grow until it did (test/bench/memory.bench.mjs).
 */
export const TOTAL_TAIL_CHARS = 6 * 1024 * 1024;

/** The bounds of a buffer (tests use small ones). */
export interface TailLimits {
  lines: number;
  chars: number;
  finished: number;
  totalChars: number;
}

const LIMITS: TailLimits = { lines: OUTPUT_TAIL_LINES, chars: OUTPUT_TAIL_CHARS, finished: FINISHED_TAILS, totalChars: TOTAL_TAIL_CHARS };

/** A plain copy of a whole buffer: tails in start order (an array: an object would put ids like "12" first), and the finished ones in eviction order. */
export interface TailsRecord {
  tails: [string, TailRecord][];
  finishedOrder: string[];
}

/** What the panes read of the tails (live: the store's buffer; replay: the one at the position). */
export interface TailsView {
  /** Changes whenever a tail does. */
  readonly version: number;
  lines(id: string, n?: number): string[] | undefined;
  stats(id: string): { lines: number; bytes: number; partial: boolean } | undefined;
}

/** Every command's output tail, bounded; fed every event of the session in order. */
export class OutputTails implements TailsView {
  private readonly tails = new Map<string, Tail>();
  /** Finished commands with a tail, earliest finished first: the eviction order. */
  private readonly finished = new Set<string>();
  private totalChars = 0;
  /** Whether a session has started: `session/resumed` ends running commands only then (as the reducer does). */
  private inSession = false;
  /** Bumped on every change, so a pane memoized on it redraws when a tail moves. */
  version = 0;

  constructor(private readonly limits: TailLimits = LIMITS) {}

  /** Applies one event (the same events, in the same order, as the reducer gets). */
  add(e: SessionEvent): void {
    switch (e.type) {
      case 'session/started':
        this.tails.clear();
        this.finished.clear();
        this.totalChars = 0;
        this.inSession = true;
        this.version++;
        return;
      case 'session/resumed':
        // The reducer marks every running command's outcome unknown: it has ended.
        if (this.inSession) for (const [id, t] of this.tails) if (!t.finished) this.finish(id, t);
        return this.changed();
      case 'command/started':
        this.remove(e.cmd);
        this.tails.set(e.cmd, new Tail(this.limits));
        return this.changed();
      case 'command/output': {
        const t = this.tails.get(e.cmd);
        if (!t) return;
        this.totalChars += t.append(e.text);
        this.changed();
        // Still over with no finished tail left to evict: the running tail that grew gives back down to its share.
        if (this.totalChars > this.limits.totalChars && !t.finished) this.totalChars += t.shrinkTo(this.share());
        return;
      }
      case 'command/exited': {
        const t = this.tails.get(e.cmd);
        if (t && !t.finished) this.finish(e.cmd, t);
        return this.changed();
      }
      default:
        return;
    }
  }

  /** The tail of command `id`: its last `n` lines (all kept by default), oldest first; undefined when it has none (unknown or evicted). */
  lines(id: string, n?: number): string[] | undefined {
    return this.tails.get(id)?.last(n);
  }

  /** Counters of command `id`'s output (lines, characters; whether the last line is unfinished), while its tail is kept. */
  stats(id: string): { lines: number; bytes: number; partial: boolean } | undefined {
    const t = this.tails.get(id);
    return t && { lines: t.lines, bytes: t.bytes, partial: t.partial };
  }

  /** Number of tails kept, and characters in them (tests check the bounds). */
  get size(): number {
    return this.tails.size;
  }

  get chars(): number {
    return this.totalChars;
  }

  /** The tails, in command start order (replay's snapshots pack them). */
  entries(): IterableIterator<[string, Tail]> {
    return this.tails.entries();
  }

  /** Commands whose tail is kept after they finished, earliest finished first (the next to be evicted). */
  finishedOrder(): string[] {
    return [...this.finished];
  }

  /** A plain copy: equal for two buffers fed the same events. */
  record(): TailsRecord {
    const tails: TailsRecord['tails'] = [];
    for (const [id, t] of this.tails) tails.push([id, t.record()]);
    return { tails, finishedOrder: this.finishedOrder() };
  }

  /** A buffer holding exactly `r` (the inverse of `record`), with `limits`. */
  static restore(r: TailsRecord, inSession: boolean, limits: TailLimits = LIMITS): OutputTails {
    const out = new OutputTails(limits);
    out.inSession = inSession;
    for (const [id, rec] of r.tails) {
      const t = Tail.of(rec, limits);
      out.tails.set(id, t);
      out.totalChars += t.chars;
    }
    for (const id of r.finishedOrder) out.finished.add(id);
    return out;
  }

  /** A copy that goes on independently (replay folds forward from a kept position). */
  clone(): OutputTails {
    return OutputTails.restore(this.record(), this.inSession, this.limits);
  }

  /** Whether a session has started (snapshots carry it). */
  get started(): boolean {
    return this.inSession;
  }

  /** What each running command may hold when all tails are over the total. */
  private share(): number {
    return Math.floor(this.limits.totalChars / Math.max(1, this.tails.size - this.finished.size));
  }

  private changed(): void {
    this.version++;
    this.evict();
  }

  private finish(id: string, t: Tail): void {
    t.finished = true;
    this.finished.add(id);
  }

  private remove(id: string): void {
    const t = this.tails.get(id);
    if (!t) return;
    this.totalChars -= t.chars;
    this.tails.delete(id);
    this.finished.delete(id);
  }

  /** Finished tails go, earliest finished first, while there are too many or all tails hold too much. */
  private evict(): void {
    while (this.finished.size > this.limits.finished || (this.totalChars > this.limits.totalChars && this.finished.size > 0)) {
      this.remove(this.finished.values().next().value as string);
    }
  }
}
