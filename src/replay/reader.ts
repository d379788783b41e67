/**
 * Reads indexed events back from the journal file: a range in one positioned read (seeks), or
 * one event at a time through a small cache (the timeline's visible lines). Each is validated
 * again: the file is untrusted and could have changed since it was indexed.
 */
import type { SessionEvent } from '../core/events.js';
import type { Column } from './columns.js';
import { parseEvent } from './lines.js';

/** Where each event sits in a journal file, and a way to read the file: replay's index, or the live session's. */
export interface EventOffsets {
  /** The journal file (named in errors). */
  readonly path: string;
  /** Byte offset, byte length (without the newline) and 1-based line number of each event. */
  readonly starts: Column<Float64Array>;
  readonly lengths: Column<Uint32Array>;
  readonly lineNos: Column<Uint32Array>;
  /** Reads bytes of the file from `position` into `buf`; returns how many were read. */
  readAt(buf: Buffer, position: number): number;
}

/** Events kept parsed for the timeline and for stepping back and forth. */
const CACHE = 4096;

/** Parsed access to the events of an index. */
export class EventReader {
  private readonly cache = new Map<number, SessionEvent>();

  constructor(private readonly index: EventOffsets) {}

  /** Event `i` of the index; on a miss, events [from, i] are read with it (one read for a scan backwards). */
  get(i: number, from = i): SessionEvent {
    const hit = this.cache.get(i);
    if (hit) return hit;
    return this.read(Math.min(from, i), i + 1).at(-1)!;
  }

  /** Events [from, to) of the index, in order. Throws, naming the file and line, if one no longer reads. */
  read(from: number, to: number): SessionEvent[] {
    const out: SessionEvent[] = [];
    this.each(from, to, (e) => void out.push(e));
    return out;
  }

  /** Calls `fn` with events [from, to) in order, one at a time: a long seek keeps no array of them alive. */
  each(from: number, to: number, fn: (e: SessionEvent) => void): void {
    if (to <= from) return;
    const ix = this.index;
    const base = ix.starts.at(from);
    const end = ix.starts.at(to - 1) + ix.lengths.at(to - 1);
    const buf = Buffer.allocUnsafe(end - base);
    const n = ix.readAt(buf, base);
    for (let i = from; i < to; i++) {
      const at = ix.starts.at(i) - base;
      const e = at + ix.lengths.at(i) <= n ? this.parse(buf.toString('utf8', at, at + ix.lengths.at(i))) : undefined;
      if (!e) throw new Error(`${ix.path}:${ix.lineNos.at(i)}: changed on disk since the replay opened it; open it again`);
      // Keep the last ones: after a seek the timeline shows the events just before the position.
      if (i >= to - 256) this.remember(i, e);
      fn(e);
    }
  }

  private parse(text: string): SessionEvent | undefined {
    const p = parseEvent(text);
    return 'event' in p ? p.event : undefined;
  }

  private remember(i: number, e: SessionEvent): void {
    if (this.cache.has(i)) return;
    if (this.cache.size >= CACHE) this.cache.delete(this.cache.keys().next().value as number);
    this.cache.set(i, e);
  }
}
