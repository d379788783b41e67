// A terminal in memory for the console benchmarks: an stdout that timestamps every write and an
// stdin that takes key sequences. Not a benchmark itself (run.mjs runs *.bench.mjs only).
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';

/** An stdout of `columns` x `rows` recording each write with its time; `frames` counts real frames. */
export class Out extends EventEmitter {
  isTTY = true;
  writes = [];
  frames = 0;
  constructor(columns = 160, rows = 48) {
    super();
    this.columns = columns;
    this.rows = rows;
  }
  write = (s) => {
    this.writes.push({ t: performance.now(), s });
    // Synchronized-output markers (BSU/ESU) come as writes of their own; count only frames.
    if (s.length > 16) this.frames++;
    return true;
  };
}

/** An stdin in raw mode; `press` delivers a key sequence as a terminal would. */
export class In extends EventEmitter {
  isTTY = true;
  data = null;
  setRawMode() {}
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  press(s) {
    this.data = s;
    this.emit('readable');
  }
}

/** Polls `f` on every turn of the event loop until it returns something, or `ms` have passed. */
export async function waitFor(f, ms) {
  const end = performance.now() + ms;
  for (;;) {
    const v = f();
    if (v || performance.now() > end) return v;
    await new Promise((r) => setImmediate(r));
  }
}

/** The V8 flags on bin/cutover's first line (`#!/usr/bin/env -S node --flag ...`): benchmarks run the console with them. */
export function consoleFlags() {
  return readFileSync(new URL('../../bin/cutover', import.meta.url), 'utf8')
    .split('\n')[0]
    .split(/\s+/)
    .filter((w) => w.startsWith('--'));
}
