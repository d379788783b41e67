/**
 * The journal's integrity for a replay (journal/integrity.ts: chain, head anchor, signature), known
 * some time after the first frame: a million lines take seconds to hash, and the console must show
 * at once. The check runs in a worker thread (integrity-worker.ts), so the console answers keys
 * while it runs; it starts once indexing is done (`after`), as the two side by side would compete
 * for the cores and the memory budget (DESIGN.md §5) instead of sharing them. Where the worker
 * cannot load (the TypeScript sources run by the tests, without dist/), it runs on this thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { checkIntegrity, type Integrity } from '../journal/integrity.js';

/** Heap limits of the worker (MB), as bin/cutover sizes the console's: it reads a line at a time and holds next to nothing. */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 };

/** A check under way, then its verdict (or why there is none). */
export class IntegrityWatch {
  /** The verdict, once known. */
  integrity: Integrity | undefined;
  /** Why the check could not be made (the file vanished, the worker died), once known. */
  error: string | undefined;
  /** Where the check ran: a worker thread, or this one (no compiled worker beside this file). */
  where: 'worker' | 'thread' | undefined;
  /** Settles when the verdict or the error is known (never rejects). */
  readonly done: Promise<void>;
  private worker: Worker | undefined;
  private stopped = false;
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
    void this.worker?.terminate();
  }

  private async run(): Promise<void> {
    // A replay quit before indexing finished never starts the check.
    await Promise.race([this.after, this.halted]);
    if (this.stopped) return this.settle({ error: 'stopped' });
    const r = await this.inWorker();
    if (r !== 'no worker') return this.settle(r);
    this.where = 'thread';
    // Never in the caller's turn: it draws its frame first.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (this.stopped) return this.settle({ error: 'stopped' });
    return this.settle(
      await checkIntegrity(this.path).then(
        (integrity) => ({ integrity }),
        (e: Error) => ({ error: e.message }),
      ),
    );
  }

  private settle(r: { integrity?: Integrity; error?: string }): void {
    if (r.integrity) this.integrity = r.integrity;
    else this.error = r.error ?? 'the check ended without a verdict';
  }

  private inWorker(): Promise<{ integrity?: Integrity; error?: string } | 'no worker'> {
    const url = new URL('./integrity-worker.js', import.meta.url);
    // Compiled, the worker sits beside this file; run from the TypeScript sources (tests), it does not.
    if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return Promise.resolve('no worker');
    return new Promise((resolve) => {
      // A small young generation: the check streams the file and keeps little, and every MB of its garbage is replay's RSS.
      const worker = new Worker(url, { workerData: { path: this.path }, resourceLimits: WORKER_LIMITS });
      this.where = 'worker';
      this.worker = worker;
      // Never keeps the process alive: a replay that quits does not wait for the verdict.
      worker.unref();
      worker.once('message', (m: { integrity?: Integrity; error?: string }) => {
        resolve(m);
        void worker.terminate();
      });
      worker.once('error', (e: Error) => resolve({ error: `integrity check failed: ${e.message}` }));
      worker.once('exit', () => resolve(this.stopped ? { error: 'stopped' } : { error: 'the integrity check ended without a verdict' }));
    });
  }
}
