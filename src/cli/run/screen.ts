/**
 * The alternate screen, entered once and restored on every exit path: normal quit, SIGINT,
 * SIGTERM, SIGHUP, an uncaught error, and process exit. Restoring twice is harmless.
 */

// Alternate screen, cursor home, clear, cursor hidden. 1049 keeps the cursor where it was on the
// main screen; Ink draws relative to the cursor, so start at the top or the frame scrolls.
const ENTER = '\x1b[?1049h\x1b[H\x1b[2J\x1b[?25l';
const LEAVE = '\x1b[?25h\x1b[?1049l';

export interface Screen {
  /** Leaves the alternate screen (idempotent). */
  restore(): void;
  /** Removes the signal and crash handlers: call once the session's ending is recorded. */
  dispose(): void;
}

/** Enters the alternate screen on `out` and arranges for it to be left whatever happens. */
export function enterAltScreen(out: NodeJS.WriteStream, onSignal: (signal: NodeJS.Signals) => void, onCrash: (err: unknown) => void): Screen {
  let active = true;
  const restore = () => {
    if (!active) return;
    active = false;
    // The terminal may be gone (a dropped SSH link): a failed write must not stop the ending.
    try {
      if (out.writable) out.write(LEAVE);
    } catch {
      /* nothing to restore on a dead terminal */
    }
  };
  // Signal and crash handlers stay until the ending is recorded: a second error while ending must not kill the process.
  const dispose = () => {
    restore();
    process.off('exit', restore);
    for (const s of SIGNALS) process.off(s, handlers[s]);
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
  };
  const handlers = Object.fromEntries(SIGNALS.map((s) => [s, () => onSignal(s)])) as Record<NodeJS.Signals, () => void>;
  let crashed = false;
  const crash = (err: unknown) => {
    restore();
    if (crashed) return;
    crashed = true;
    onCrash(err);
  };
  out.write(ENTER);
  // A hung-up terminal makes every later write fail (EIO, EPIPE); the session must still end and record it.
  out.on('error', ignore);
  process.stdin.on('error', ignore);
  process.stderr.on('error', ignore);
  process.on('exit', restore);
  for (const s of SIGNALS) process.on(s, handlers[s]);
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  return { restore, dispose };
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function ignore(): void {}
