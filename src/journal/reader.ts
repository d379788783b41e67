/**
 * Reads journals back. `readJournal` is synchronous (resume and verify run before the UI starts, and
 * a sync read keeps callers simple); `streamJournal` is async and yields one entry at a time for replay.
 */
import type { EventBase, JournalEvent } from './event.js';
import { parseLine } from './line.js';
import { MAX_LINE_BYTES } from './line-reader.js';
import { rawLines, rawLinesSync, CHUNK_BYTES, type RawLine } from './scan.js';

/** One event read back, with where it sits in the chain and in the file. */
export interface JournalEntry<E = JournalEvent> {
  seq: number;
  hash: string;
  /** 1-based line number in the file. */
  line: number;
  event: E;
}

/** A line that could not be read as an entry; it is skipped and reading goes on. */
export interface ReadProblem {
  line: number;
  message: string;
}

/** Everything `readJournal` found. */
export interface ReadResult<E = JournalEvent> {
  entries: JournalEntry<E>[];
  /** The last line was cut short by a crash mid-write; it is left out and is not a problem. */
  torn: boolean;
  problems: ReadProblem[];
  /** Byte offset just past the last whole line: where a torn tail starts, else the file size. */
  end: number;
}

/** Reading options; `chunkBytes` exists so tests can make lines straddle chunk boundaries. */
export interface ReadOptions {
  chunkBytes?: number;
}

type Classified<E> = { entry: JournalEntry<E> } | { problem: ReadProblem } | 'torn';

// Only an unterminated line can be torn: a crash cuts the tail of a write, and the newline is written last.
function classify<E extends EventBase>(raw: RawLine & { tooLong?: boolean }): Classified<E> {
  if (raw.tooLong) return { problem: { line: raw.line, message: `longer than ${MAX_LINE_BYTES / 1024 / 1024} MB; not a journal line` } };
  const p = parseLine<E>(raw.text);
  if (p.ok) return { entry: { seq: p.seq, hash: p.hash, line: raw.line, event: p.event } };
  if (!raw.terminated) return 'torn';
  return { problem: { line: raw.line, message: p.message } };
}

/** Reads a whole journal, tolerating a torn last line and reporting (then skipping) malformed lines. */
export function readJournal<E extends EventBase = JournalEvent>(path: string, opts: ReadOptions = {}): ReadResult<E> {
  const out: ReadResult<E> = { entries: [], torn: false, problems: [], end: 0 };
  for (const raw of rawLinesSync(path, opts.chunkBytes ?? CHUNK_BYTES)) {
    const c = classify<E>(raw);
    if (c === 'torn') {
      out.torn = true;
      continue;
    }
    out.end = raw.end;
    if ('entry' in c) out.entries.push(c.entry);
    else out.problems.push(c.problem);
  }
  return out;
}

/** Options for `streamJournal`: malformed lines go to `onProblem` (a torn tail is silently tolerated). */
export interface StreamOptions extends ReadOptions {
  onProblem?: (problem: ReadProblem) => void;
}

/** Yields a journal's entries one by one without holding the file in memory. */
export async function* streamJournal<E extends EventBase = JournalEvent>(
  path: string,
  opts: StreamOptions = {},
): AsyncGenerator<JournalEntry<E>> {
  for await (const raw of rawLines(path, opts.chunkBytes ?? CHUNK_BYTES)) {
    const c = classify<E>(raw);
    if (c === 'torn') continue;
    if ('entry' in c) yield c.entry;
    else opts.onProblem?.(c.problem);
  }
}
