/**
 * Reads indexed events back from the journal file: a range in one positioned read (seeks), or
 * one event at a time through a small cache (the timeline's visible lines). Each is validated
 * again: the file is untrusted and could have changed since it was indexed.
 */
import fs from 'node:fs';
import type { SessionEvent } from '../core/events.js';
import type { JournalIndex } from './indexer.js';
import { parseEvent } from './lines.js';

/** Events kept parsed for the timeline and for stepping back and forth. */
const CACHE = 4096;

/** Parsed access to the events of an index. */
export class EventReader {
  private readonly cache = new Map<number, SessionEvent>();

  constructor(private readonly index: JournalIndex) {}

  /** Event `i` of the index. */
  get(i: number): SessionEvent {
    const hit = this.cache.get(i);
    if (hit) return hit;
    return this.read(i, i + 1)[0];
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
    const n = fs.readSync(ix.fd, buf, 0, buf.length, base);
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
