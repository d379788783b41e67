/**
 * The journal's integrity for a replay (journal/integrity.ts: chain, head anchor, signature), known
 * some time after the first frame: a million lines take seconds to hash, and the console must show
 * at once. The check runs in a process of its own (integrity-child.ts, a small heap), starting once
 * indexing is done (`after`): side by side the two would compete for the cores. Measured against
 * the replay's 300 MB (DESIGN.md §5), a worker thread's isolate cost 25 MB of it, and checking on the
 * console's thread (in steps) 50-70 MB: its garbage made V8 promote the seeks' short-lived objects.
 * Where the compiled child is missing (the TypeScript sources run by the tests), it checks on this
 * thread in steps (pausing every 2,000 lines for the event loop).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkIntegrity, type Integrity } from '../journal/integrity.js';

/** The child's V8 heap: it streams the file and keeps two hashes. */
const CHILD_FLAGS = ['--max-semi-space-size=1', '--max-old-space-size=128'];

/** A check under way, then its verdict (or why there is none). */
export class IntegrityWatch {
  /** The verdict, once known. */
  integrity: Integrity | undefined;
  /** Why the check could not be made (the file vanished), once known. */
  error: string | undefined;
  /** Settles when the verdict or the error is known (never rejects). */
  readonly done: Promise<void>;
  private stopped = false;
  private child: ChildProcess | undefined;
  /** Where the check ran: a process of its own, or this thread (no compiled child beside this file). */
  where: 'process' | 'thread' | undefined;
  private halt: () => void = () => {};
  private readonly halted = new Promise<void>((resolve) => {
    this.halt = resolve;
  });

  /** Checks `path` once `after` settles; `onDone` runs once the verdict or the error is known (not after `stop`). */
  constructor(
    readonly path: string,
    onDone: () => void = () => {},
    private readonly after: Promise<unknown> = Promise.resolve(),
  ) {
    this.done = this.run().then(() => {
      if (!this.stopped) onDone();
    });
  }

  /** Whether the verdict (or an error) is known. */
  get known(): boolean {
    return this.integrity !== undefined || this.error !== undefined;
  }

  /** Stops the check (quitting the replay). */
  stop(): void {
    this.stopped = true;
    this.halt();
    this.child?.kill('SIGKILL');
  }

  private async run(): Promise<void> {
    // A replay quit before indexing finished never starts the check.
    await Promise.race([this.after, this.halted]);
    // Never in the caller's turn: it draws its frame first.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (this.stopped) return this.settle({ error: 'stopped' });
    const r = await this.inProcess();
    if (r !== 'no child') return this.settle(r);
    this.where = 'thread';
    return this.settle(
      await checkIntegrity(this.path, { yielding: true, stop: () => this.stopped }).then(
        (integrity) => ({ integrity }),
        (e: Error) => ({ error: e.message }),
      ),
    );
  }

  private settle(r: { integrity?: Integrity; error?: string }): void {
    if (this.stopped && !r.integrity) r = { error: 'stopped' };
    if (r.integrity) this.integrity = r.integrity;
    else this.error = r.error ?? 'the check ended without a verdict';
  }

  private inProcess(): Promise<{ integrity?: Integrity; error?: string } | 'no child'> {
    const url = new URL('./integrity-child.js', import.meta.url);
    if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return Promise.resolve('no child');
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [...CHILD_FLAGS, fileURLToPath(url), this.path], { stdio: ['ignore', 'pipe', 'pipe'] });
      this.where = 'process';
      this.child = child;
      // A replay that quits stops it (stop() kills it): it never waits for the verdict.
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d.slice(0, 2000)));
      child.on('error', (e) => resolve({ error: `integrity check failed: ${e.message}` }));
      child.on('close', (code) => {
        if (this.stopped) return resolve({ error: 'stopped' });
        try {
          resolve(JSON.parse(out) as { integrity?: Integrity; error?: string });
        } catch {
          resolve({ error: `the integrity check ended without a verdict (exit ${code}${err ? `: ${err.split('\n')[0]}` : ''})` });
        }
      });
    });
  }
}
