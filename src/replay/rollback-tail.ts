/**
 * The events that decide how a journal's latest rollback ended, read from the end of the file:
 * `cutover sessions` shows it without folding the whole journal. The file is searched backwards
 * for the last `rollback/confirmed` line, then read forwards from there, and only rollback and
 * session events are parsed. Folded after the journal's first event, they give the true
 * `state.rollback.run` and `state.session` end (and nothing else of the state).
 */
import fs from 'node:fs';
import type { SessionEvent } from '../core/events.js';
import { LineSplitter } from '../journal/scan.js';
import { checkLine } from './lines.js';

/** Backwards in small steps (a rollback is usually near the end), forwards in large ones. */
const BACK = 64 * 1024;
const CHUNK = 1 << 20;
/** Every journal line starts `{"seq":N,"type":"...`: JSON escapes keep `":"` out of string values. */
const CONFIRMED = Buffer.from('"type":"rollback/confirmed"');
const LINE_HEAD = /^\{"seq":\d+,$/;
const KEPT = /^\{"seq":\d+,"type":"(rollback|session)\//;

/** Rollback and session events from the latest valid `rollback/confirmed` to the end, in order; empty without a rollback. */
export function readRollbackTail(path: string): SessionEvent[] {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    for (let before = size; ; ) {
      const start = lastConfirmed(fd, before);
      if (start === undefined) return [];
      const events = eventsFrom(fd, size, start);
      if (events[0]?.type === 'rollback/confirmed') return events;
      before = start;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The byte offset of the last line that starts with a `rollback/confirmed` type and begins before `before`. */
function lastConfirmed(fd: number, before: number): number | undefined {
  let end = before;
  while (end > 0) {
    const from = Math.max(0, end - BACK);
    // Overlap the next chunk by the pattern's length, so a match across the boundary is found.
    const buf = read(fd, from, end + CONFIRMED.length - 1 - from);
    for (let i = buf.lastIndexOf(CONFIRMED); i >= 0; i = i > 0 ? buf.lastIndexOf(CONFIRMED, i - 1) : -1) {
      const at = from + i;
      if (at >= before) continue;
      const line = lineStart(fd, at);
      if (line !== undefined && line < before) return line;
    }
    end = from;
  }
  return undefined;
}

/** Where the line holding `at` starts, when `at` is its top-level `type` key (`{"seq":N,` before it). */
function lineStart(fd: number, at: number): number | undefined {
  const from = Math.max(0, at - 32);
  const head = read(fd, from, at - from);
  const nl = head.lastIndexOf(10);
  const text = head.subarray(nl + 1).toString('utf8');
  return (nl >= 0 || from === 0) && LINE_HEAD.test(text) ? from + nl + 1 : undefined;
}

/** The valid rollback and session events of the lines from `start` to the end of the file. */
function eventsFrom(fd: number, size: number, start: number): SessionEvent[] {
  const out: SessionEvent[] = [];
  const split = new LineSplitter();
  const keep = (text: string, terminated: boolean) => {
    if (!KEPT.test(text)) return;
    const r = checkLine({ text, line: 0, start: 0, end: 0, terminated });
    if (typeof r === 'object' && 'event' in r) out.push(r.event);
  };
  for (let pos = start; pos < size; pos += CHUNK)
    for (const l of split.push(read(fd, pos, Math.min(CHUNK, size - pos)))) keep(l.text, l.terminated);
  for (const l of split.finish()) keep(l.text, l.terminated);
  return out;
}

function read(fd: number, from: number, length: number): Buffer {
  const buf = Buffer.alloc(Math.max(0, length));
  const n = fs.readSync(fd, buf, 0, buf.length, from);
  return buf.subarray(0, n);
}
