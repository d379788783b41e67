/**
 * The first and the last event of a journal, read from its two ends only: `cutover sessions`
 * lists many journals, and replay wants the session's end time before indexing reaches it.
 */
import fs from 'node:fs';
import { rawLinesOfText } from '../journal/scan.js';
import type { SessionEvent } from '../core/events.js';
import { checkLine } from './lines.js';

/** Bytes read from the tail; a last event longer than this is not found (the caller falls back). */
const TAIL_BYTES = 64 * 1024;
/** The first line holds the whole runbook; this much is plenty, and bounds what a bad file costs. */
const HEAD_MAX = 8 * 1024 * 1024;

/** The ends of a journal: its first and last valid events, when there are any. */
export interface Edges {
  size: number;
  first?: SessionEvent;
  last?: SessionEvent;
}

/** Reads the first line (growing the read until its newline) and the last valid line of a journal. */
export function readEdges(path: string): Edges {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    return { size, ...firstEvent(fd, size), ...lastEvent(fd, size) };
  } finally {
    fs.closeSync(fd);
  }
}

function firstEvent(fd: number, size: number): { first?: SessionEvent } {
  let len = Math.min(size, 64 * 1024);
  for (;;) {
    const buf = Buffer.alloc(len);
    const n = fs.readSync(fd, buf, 0, len, 0);
    const nl = buf.subarray(0, n).indexOf(10);
    if (nl >= 0 || n >= size || len >= HEAD_MAX) {
      const text = buf.subarray(0, nl >= 0 ? nl : n).toString('utf8');
      const r = checkLine({ text, line: 1, start: 0, end: text.length, terminated: nl >= 0 });
      return typeof r === 'object' && 'event' in r ? { first: r.event } : {};
    }
    len = Math.min(size, len * 4, HEAD_MAX);
  }
}

function lastEvent(fd: number, size: number): { last?: SessionEvent } {
  const from = Math.max(0, size - TAIL_BYTES);
  const buf = Buffer.alloc(size - from);
  const n = fs.readSync(fd, buf, 0, buf.length, from);
  const lines = rawLinesOfText(buf.subarray(0, n).toString('utf8'));
  // The first line of a tail that starts mid-file is a fragment.
  const whole = from > 0 ? lines.slice(1) : lines;
  for (let i = whole.length - 1; i >= 0; i--) {
    const r = checkLine(whole[i]);
    if (typeof r === 'object' && 'event' in r) return { last: r.event };
  }
  return {};
}
