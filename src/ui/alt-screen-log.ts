/**
 * Ink's frame writer for the alternate screen. Ink 6.8's incremental writer moves the cursor up
 * relative to where the last frame left it and is one line off when a frame ends in a newline
 * (every frame shorter than the screen does), so the console drifted down a line per frame.
 * On the alternate screen the frame always starts at the top left, so this writer addresses rows
 * absolutely and rewrites only the lines that changed: no drift, no flicker.
 */

/** The interface Ink's renderer calls (log-update's `render` function with its methods). */
export interface FrameLog {
  (str: string): boolean;
  clear(): void;
  done(): void;
  sync(str: string): void;
  setCursorPosition(position: unknown): void;
  isCursorDirty(): boolean;
  willRender(str: string): boolean;
}

/** A writer that draws frames at row 1 of `stream`, changed lines only. */
export function altScreenLog(stream: NodeJS.WritableStream & { columns?: number; rows?: number }): FrameLog {
  let previous = '';
  let lines: string[] = [];
  let size = '';
  const render = ((str: string) => {
    const now = `${stream.columns}x${stream.rows}`;
    const resized = now !== size;
    if (str === previous && !resized) return false;
    const next = str.endsWith('\n') ? str.slice(0, -1).split('\n') : str.split('\n');
    let out = resized ? '\x1b[H\x1b[2J' : '';
    for (let i = 0; i < next.length; i++) if (resized || next[i] !== lines[i]) out += `\x1b[${i + 1};1H${next[i]}\x1b[K`;
    for (let i = next.length; i < lines.length && !resized; i++) out += `\x1b[${i + 1};1H\x1b[K`;
    if (out) stream.write(out);
    previous = str;
    lines = next;
    size = now;
    return true;
  }) as FrameLog;
  render.clear = () => {
    stream.write('\x1b[H\x1b[2J');
    previous = '';
    lines = [];
  };
  render.done = () => {
    previous = '';
    lines = [];
  };
  render.sync = (str: string) => {
    previous = str;
    lines = str.endsWith('\n') ? str.slice(0, -1).split('\n') : str.split('\n');
  };
  render.setCursorPosition = () => {};
  render.isCursorDirty = () => false;
  render.willRender = (str: string) => str !== previous || `${stream.columns}x${stream.rows}` !== size;
  return render;
}
