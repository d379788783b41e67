/**
 * The live session's events by index, for the timeline and the headless printer. A night of
 * output is millions of events, so only the recent ones stay in memory; older ones are read back
 * from the journal, each line parsed and validated again as replay does (replay/lines.ts).
 *
 * An event leaves memory only once the journal has confirmed it on disk and RECENT_EVENTS newer
 * ones exist. Events the journal has not written (a batch in flight, a disk that is full, a
 * journal that closed with lines for the fallback file) stay, so the timeline always shows them.
 * Without a journal (tests) nothing leaves.
 *
 * Where the older events are costs 8 bytes per CHECKPOINT events, not bytes per event: the
 * journal is read from the checkpoint before the wanted event, a block of lines at a time. So the
 * console's memory stays flat over a night (replay's index keeps an offset per event instead: it
 * seeks anywhere, and it opens a journal that is finished).
 *
 * Each event pushed is also told to the session's story (core/story.ts), the timeline's default
 * view: its lines are few (no samples, no output) and stay in memory, so the story never reads the
 * journal back.
 */
import fs from 'node:fs';
import type { SessionEvent } from '../core/events.js';
import { StoryIndex } from '../core/story.js';
import { LineReader, type ReaderLine } from '../journal/line-reader.js';
import { f64 } from '../replay/columns.js';
import { parseEvent } from '../replay/lines.js';

/** Events kept in memory behind the newest: any screen of the timeline, and more than a printer falls behind between two publishes. About 1 MB. */
export const RECENT_EVENTS = 4096;
/** Events read from the journal at a time: a scan backwards (the timeline's filter) reads blocks, not lines. */
const BLOCK = 256;
/** One byte offset is kept for every CHECKPOINT events: 56 KB for a million events. */
const CHECKPOINT = 64;

/** Where the journal put the events it has written, every CHECKPOINT-th one's line start; and how to read them. */
class OnDisk {
  /** Byte offset of event k * CHECKPOINT's line. */
  private readonly checkpoints = f64();
  /** Events [0, written) are on disk, and the last of them ends (newline included) at byte `end`. */
  written = 0;
  private end = 0;
  /** The journal's line number of event i is i + firstSeq. */
  private firstSeq = 1;
  /** Writes confirmed out of order, until the ones before them are. */
  private readonly early = new Map<number, { seq: number; at: number; length: number }>();

  constructor(readonly path: string) {}

  /** The journal wrote event `i` as line `seq`, from byte `at`, `length` bytes before its newline. */
  wrote(i: number, w: { seq: number; at: number; length: number }): void {
    if (i !== this.written) {
      if (i > this.written) this.early.set(i, w);
      return;
    }
    for (let next: typeof w | undefined = w; next; next = this.early.get(this.written)) {
      this.early.delete(this.written);
      if (this.written === 0) this.firstSeq = next.seq;
      if (this.written % CHECKPOINT === 0) this.checkpoints.push(next.at);
      this.end = next.at + next.length + 1;
      this.written++;
    }
  }

  /** Events [from, to) (all written), in order, read from the checkpoint before `from`. Throws when the file no longer has them. */
  read(from: number, to: number): SessionEvent[] {
    const first = Math.floor(from / CHECKPOINT);
    const after = Math.floor((to - 1) / CHECKPOINT) + 1;
    const start = this.checkpoints.at(first);
    const end = after < this.checkpoints.length ? this.checkpoints.at(after) : this.end;
    const buf = Buffer.allocUnsafe(end - start);
    const fd = fs.openSync(this.path, 'r');
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, buf.length, start);
    } finally {
      // Opened per read: old events are read rarely (scrolling back, a printer that fell behind), and no descriptor outlives the session.
      fs.closeSync(fd);
    }
    const out: SessionEvent[] = [];
    let at = 0;
    for (let i = first * CHECKPOINT; i < to; i++) {
      const nl = buf.indexOf(10, at);
      if (nl < 0 || nl >= n) throw new Error(`line ${i + this.firstSeq} is gone`);
      if (i >= from) {
        const p = parseEvent(buf.toString('utf8', at, nl));
        if (!('event' in p) || p.seq !== i + this.firstSeq) throw new Error(`line ${i + this.firstSeq} is not what was written`);
        out.push(asEmitted(p.event));
      }
      at = nl + 1;
    }
    return out;
  }
}

/** The session's events: `length`, `get(i)` and ranges, from memory or from the journal. */
export class EventLog {
  /** Events [base, length), from `held[head]` on. */
  private held: (SessionEvent | undefined)[] = [];
  private head = 0;
  private base = 0;
  private count = 0;
  /** session/started: every reader wants its time, and the state holds its runbook anyway. */
  private first: SessionEvent | undefined;
  private readonly disk: OnDisk | undefined;
  /** The story of every event pushed (the timeline's default view): its lines stay in memory, they are few. */
  readonly story = new StoryIndex();
  /** The last block read back, for the timeline's lines around it (a screen asks for them one by one). */
  private cached: { from: number; events: SessionEvent[] } | undefined;

  constructor(
    journalPath: string | undefined,
    private readonly recent = RECENT_EVENTS,
  ) {
    this.disk = journalPath === undefined ? undefined : new OnDisk(journalPath);
  }

  /** How many events there are. */
  get length(): number {
    return this.count;
  }

  /** How many are held in memory now (tests check the bound). */
  get inMemory(): number {
    return this.count - this.base;
  }

  /** Adds the next event; returns its index. */
  push(e: SessionEvent): number {
    const i = this.count++;
    this.held.push(e);
    this.story.add(e, i);
    this.first ??= e;
    this.trim();
    return i;
  }

  /** The journal wrote event `i` as line `seq`, from byte `at`, `length` bytes before its newline. */
  wrote(i: number, w: { seq: number; at: number; length: number }): void {
    if (!this.disk) return;
    this.disk.wrote(i, w);
    this.trim();
  }

  /**
   * The events pushed so far are the journal's lines, in order (a resumed session loaded them
   * from it): learns where each one is, so they can leave memory too. When the file does not
   * hold exactly that many lines, they stay in memory instead.
   */
  onDiskAlready(): void {
    if (!this.disk || this.disk.written > 0) return;
    const lines = scanLines(this.disk.path, this.count);
    if (lines.length !== this.count) return;
    lines.forEach((l, i) => {
      this.disk?.wrote(i, { seq: i + 1, at: l.start, length: l.length });
    });
    this.trim();
  }

  /** Event `i`, 0 <= i < length. */
  get(i: number): SessionEvent {
    if (i >= this.base) return this.held[this.head + i - this.base]!;
    if (i === 0 && this.first) return this.first;
    const c = this.cached;
    if (c && i >= c.from && i < c.from + c.events.length) return c.events[i - c.from];
    const from = Math.max(0, i - BLOCK + 1);
    try {
      this.cached = { from, events: this.disk!.read(from, i + 1) };
      return this.cached.events[i - from];
    } catch (err) {
      return this.unreadable(i, err);
    }
  }

  /** Calls `fn` with events [from, to) in order; older ones are read from the journal a block at a time, never all at once. */
  each(from: number, to: number, fn: (e: SessionEvent, i: number) => void): void {
    let i = Math.max(0, from);
    // The first event is kept: no read for it.
    if (i === 0 && to > 0 && this.first) fn(this.first, i++);
    while (i < Math.min(to, this.base)) {
      const end = Math.min(to, this.base, i + BLOCK);
      let block: SessionEvent[];
      try {
        block = this.disk!.read(i, end);
      } catch (err) {
        block = Array.from({ length: end - i }, (_, k) => this.unreadable(i + k, err));
      }
      for (const e of block) fn(e, i++);
    }
    for (; i < Math.min(to, this.count); i++) fn(this.get(i), i);
  }

  /** Every event, the older ones read back from the journal: for tests and one-off reads, not for a frame. */
  all(): SessionEvent[] {
    const out: SessionEvent[] = [];
    this.each(0, this.count, (e) => void out.push(e));
    return out;
  }

  /**
   * What stands in for an event the journal no longer gives back (the file was moved or changed
   * under the console): a line that says so, rather than a console that stops drawing.
   */
  private unreadable(i: number, err: unknown): SessionEvent {
    const why = (err as NodeJS.ErrnoException).code ?? 'its line is not what was written';
    const text = `event ${i + 1} cannot be read back from ${this.disk?.path} (${why}): the journal was moved or changed while the session ran`;
    return { type: 'note/added', t: this.first?.t ?? 0, operator: 'cutover', text };
  }

  /** Lets go of events that are on disk and older than the recent window. */
  private trim(): void {
    if (!this.disk) return;
    const keepFrom = Math.min(this.count - this.recent, this.disk.written);
    while (this.base < keepFrom) {
      this.held[this.head++] = undefined;
      this.base++;
    }
    // Compact now and then, not on every event: the array would be copied each time.
    if (this.head > 1024 && this.head * 2 > this.held.length) {
      this.held = this.held.slice(this.head);
      this.head = 0;
    }
  }
}

/** An event read back from the journal carries the line's seq and hash; the session's events do not. */
function asEmitted(e: SessionEvent): SessionEvent {
  const { seq: _seq, hash: _hash, ...event } = e as SessionEvent & { seq?: number; hash?: string };
  return event as SessionEvent;
}

/** Where the first `max` terminated lines of a file are. */
function scanLines(path: string, max: number): { start: number; length: number }[] {
  const out: { start: number; length: number }[] = [];
  const fd = fs.openSync(path, 'r');
  try {
    const lines = new LineReader(fd, fs.fstatSync(fd).size);
    const line: ReaderLine = { text: '', line: 0, start: 0, end: 0, terminated: false };
    while (out.length <= max && lines.next(line) && line.terminated) out.push({ start: line.start, length: line.end - line.start - 1 });
  } finally {
    fs.closeSync(fd);
  }
  return out;
}
