/**
 * What stays ours while Ink draws the console on the alternate screen (Ink enters and leaves it,
 * and leaves it at process exit too): signals end the session instead of killing the process,
 * a crash leaves the screen at once so its message is readable, and a hung-up terminal's write
 * errors do not stop the ending from being recorded.
 */

export interface TerminalGuard {
  /** Removes the signal and crash handlers: call once the session's ending is recorded. */
  dispose(): void;
}

/**
 * Routes SIGINT, SIGTERM and SIGHUP to `onSignal` and an uncaught error to `leave` then `onCrash`
 * (once), until disposed.
 */
export function guardTerminal(
  out: NodeJS.WriteStream,
  leave: () => void,
  onSignal: (signal: NodeJS.Signals) => void,
  onCrash: (err: unknown) => void,
): TerminalGuard {
  const handlers = Object.fromEntries(SIGNALS.map((s) => [s, () => onSignal(s)])) as Record<NodeJS.Signals, () => void>;
  let crashed = false;
  const crash = (err: unknown) => {
    try {
      leave();
    } catch {
      /* the terminal may be gone: the ending must still be recorded */
    }
    if (crashed) return;
    crashed = true;
    onCrash(err);
  };
  // A hung-up terminal makes every later write fail (EIO, EPIPE); the session must still end and record it.
  out.on('error', ignore);
  process.stdin.on('error', ignore);
  process.stderr.on('error', ignore);
  for (const s of SIGNALS) process.on(s, handlers[s]);
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  return {
    dispose() {
      for (const s of SIGNALS) process.off(s, handlers[s]);
      process.off('uncaughtException', crash);
      process.off('unhandledRejection', crash);
    },
  };
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function ignore(): void {}
