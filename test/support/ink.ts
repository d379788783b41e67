/**
 * Renders an Ink tree into an in-memory terminal of a chosen size (ink-testing-library's is fixed
 * at 100 columns). Like it, there is no act(): wait on the frame with expect.poll after each key.
 */
import { EventEmitter } from 'node:events';
import type { ReactElement } from 'react';
import { render as inkRender } from 'ink';

class FakeStdout extends EventEmitter {
  frames: string[] = [];
  isTTY = true;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

/** A rendered tree: its frames, a way to type, and unmount. */
export interface Rendered {
  lastFrame(): string;
  /** Sends keys as a terminal would ("\r" enter, "\x1b" esc, "\x1b[A" up, "\t" tab). */
  press(keys: string): void;
  unmount(): void;
  stdout: FakeStdout;
}

export function renderSized(el: ReactElement, columns = 160, rows = 40): Rendered {
  const stdout = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  const stderr = new FakeStdout(columns, rows);
  const inst = inkRender(el, {
    stdout: stdout as never,
    stdin: stdin as never,
    stderr: stderr as never,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    lastFrame: () => stdout.frames.at(-1) ?? '',
    press: (keys) => stdin.write(keys),
    unmount: () => inst.unmount(),
    stdout,
  };
}

/** Key sequences. */
export const KEY = {
  enter: '\r',
  esc: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  left: '\x1b[D',
  right: '\x1b[C',
  tab: '\t',
  shiftTab: '\x1b[Z',
  backspace: '\x7f',
} as const;
