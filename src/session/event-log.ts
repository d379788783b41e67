/**
 * The live session's events by index, for the timeline and the headless printer. A night of
 * output is millions of events, so only the recent ones stay in memory; older ones are read back
 * from the journal by byte offset, the way replay reads them (replay/reader.ts: one positioned
 * read per range, each line parsed and validated again).
 *
 * An event leaves memory only once the journal has confirmed it on disk and RECENT_EVENTS newer
 * ones exist. Events the journal has not written (a batch in flight, a disk that is full, a
 * journal that closed with lines for the fallback file) stay, so the timeline always shows them.
 * Without a journal (tests) nothing leaves.
 */
import fs from 'node:fs';
import type { SessionEvent } from '../core/events.js';
import { LineReader, type ReaderLine } from '../journal/line-reader.js';
import { f64, u32 } from '../replay/columns.js';
import { EventReader, type EventOffsets } from '../replay/reader.js';

/** Events kept in memory behind the newest: any screen of the timeline, and more than a printer falls behind between two publishes. About 1 MB. */
export const RECENT_EVENTS = 4096;
/** Events read from the journal at a time: a scan backwards (the timeline's filter) reads blocks, not lines. */
const BLOCK = 256;

/** Where the journal wrote each event (-1 until it has), and how to read the file. */
class LiveOffsets implements EventOffsets {
  readonly starts = f64();
  readonly lengths = u32();
  readonly lineNos = u32();

  constructor(readonly path: string) {}

  readAt(buf: Buffer, position: number): number {
    // Opened per read: old events are read rarely (scrolling back, a printer that fell behind), and no descriptor outlives the session.
    const fd = fs.openSync(this.path, 'r');
    try {
      return fs.readSync(fd, buf, 0, buf.length, position);
    } finally {
      fs.closeSync(fd);
    }
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
  private readonly offsets: LiveOffsets | undefined;
  private readonly reader: EventReader | undefined;

  constructor(
    journalPath: string | undefined,
    private readonly recent = RECENT_EVENTS,
  ) {
    this.offsets = journalPath === undefined ? undefined : new LiveOffsets(journalPath);
    this.reader = this.offsets && new EventReader(this.offsets);
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
    this.first ??= e;
    this.offsets?.starts.push(-1);
    this.offsets?.lengths.push(0);
    this.offsets?.lineNos.push(0);
    this.trim();
    return i;
  }

  /** The journal wrote event `i` as line `seq`, from byte `at`, `length` bytes before its newline. */
  wrote(i: number, w: { seq: number; at: number; length: number }): void {
    if (!this.offsets) return;
    this.offsets.starts.set(i, w.at);
    this.offsets.lengths.set(i, w.length);
    this.offsets.lineNos.set(i, w.seq);
    this.trim();
  }

  /**
   * The events pushed so far are the journal's lines, in order (a resumed session loaded them
   * from it): learns where each one is, so they can leave memory too. When the file does not
   * hold exactly that many lines, they stay in memory instead.
   */
  onDiskAlready(): void {
    if (!this.offsets) return;
    const lines = scanLines(this.offsets.path, this.count);
    if (lines.length !== this.count) return;
    lines.forEach((l, i) => {
      this.wrote(i, { seq: i + 1, at: l.start, length: l.length });
    });
  }

  /** Event `i`, 0 <= i < length. */
  get(i: number): SessionEvent {
    if (i >= this.base) return this.held[this.head + i - this.base]!;
    if (i === 0 && this.first) return this.first;
    try {
      return asEmitted(this.reader!.get(i, Math.max(0, i - BLOCK + 1)));
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
        block = this.reader!.read(i, end);
      } catch (err) {
        block = Array.from({ length: end - i }, (_, k) => this.unreadable(i + k, err));
      }
      for (const e of block) fn(asEmitted(e), i++);
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
    const text = `event ${i + 1} cannot be read back from ${this.offsets?.path} (${why}): the journal was moved or changed while the session ran`;
    return { type: 'note/added', t: this.first?.t ?? 0, operator: 'cutover', text };
  }

  /** Lets go of events that are on disk and older than the recent window. */
  private trim(): void {
    if (!this.offsets) return;
    const keepFrom = this.count - this.recent;
    while (this.base < keepFrom && this.offsets.starts.at(this.base) >= 0) {
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
