/**
 * Cleanup of everything the demo started, on every way out: the normal end (`run()` awaited),
 * SIGINT, SIGTERM or SIGHUP before the console has taken them over, and a crash or a plain
 * process exit (the `exit` hook: synchronous, so it kills and removes what it can right there).
 * While the console runs, it owns signals and crashes (it ends its session and returns), so
 * the hooks here stand aside until it has.
 */

/** One thing to undo: async for the orderly path, sync for the process's last moment. */
export interface Undo {
  what: string;
  async(): Promise<void> | void;
  sync(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const SIGNAL_NUMBER: Record<(typeof SIGNALS)[number], number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

/** A stack of undos, run in reverse order of registration, each at most once. */
export class Cleanup {
  private readonly undos: Undo[] = [];
  private done = false;
  private running: Promise<void> | undefined;
  private signalsOwnedElsewhere = false;
  private crashesOwnedElsewhere = false;
  private readonly hooked: boolean;
  private readonly onExit = () => this.runSync();
  private readonly onSignal = (sig: (typeof SIGNALS)[number]) => {
    // While the console runs it ends the session on a signal and returns; cleanup follows then.
    // Until its own handler is in place (or once it is gone), the signal is ours to act on.
    if (this.signalsOwnedElsewhere && process.listenerCount(sig) > 1) return;
    void this.run().finally(() => process.exit(128 + SIGNAL_NUMBER[sig]));
  };
  private readonly crash = (event: 'uncaughtException' | 'unhandledRejection') => (err: unknown) => {
    // On a terminal the console reports a crash, ends its session and returns (once it listens).
    if (this.crashesOwnedElsewhere && process.listenerCount(event) > 1) return;
    process.stderr.write(`cutover demo: internal error: ${(err as Error)?.message ?? String(err)}\n`);
    this.runSync();
    process.exit(70);
  };
  private readonly onUncaught = this.crash('uncaughtException');
  private readonly onRejection = this.crash('unhandledRejection');
  private readonly handlers = Object.fromEntries(SIGNALS.map((s) => [s, () => this.onSignal(s)])) as Record<
    (typeof SIGNALS)[number],
    () => void
  >;

  /** Hooks the process (exit, crashes, the three signals) unless `hook` is false (tests in a shared process). */
  constructor(o: { hook?: boolean } = {}) {
    this.hooked = o.hook ?? true;
    if (!this.hooked) return;
    process.on('exit', this.onExit);
    process.on('uncaughtException', this.onUncaught);
    process.on('unhandledRejection', this.onRejection);
    for (const s of SIGNALS) process.on(s, this.handlers[s]);
  }

  /** Registers something to undo. */
  add(u: Undo): void {
    if (this.done) {
      u.sync();
      return;
    }
    this.undos.push(u);
  }

  /** While the console owns signals (and, on a terminal, crashes), it ends its session first and returns; cleanup follows. */
  handOver(o: { signals: boolean; crashes: boolean }): void {
    this.signalsOwnedElsewhere = o.signals;
    this.crashesOwnedElsewhere = o.crashes;
  }

  /** Undoes everything, newest first; errors are swallowed (a cleanup must not stop halfway). */
  run(): Promise<void> {
    this.running ??= (async () => {
      while (this.undos.length) {
        const u = this.undos.pop()!;
        try {
          await u.async();
        } catch {
          try {
            u.sync();
          } catch {
            // nothing more can be done for this one
          }
        }
      }
      this.unhook();
    })();
    return this.running;
  }

  /** The exit path: synchronous undos only. */
  runSync(): void {
    while (this.undos.length) {
      try {
        this.undos.pop()!.sync();
      } catch {
        // keep going: the rest still needs undoing
      }
    }
    this.unhook();
  }

  private unhook(): void {
    this.done = true;
    if (!this.hooked) return;
    process.off('exit', this.onExit);
    process.off('uncaughtException', this.onUncaught);
    process.off('unhandledRejection', this.onRejection);
    for (const s of SIGNALS) process.off(s, this.handlers[s]);
  }
}
