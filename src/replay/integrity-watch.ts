/**
 * The journal's integrity for a replay (journal/integrity.ts: chain, head anchor, signature), known
 * some time after the first frame: a million lines take seconds to hash, and the console must show
 * at once. The check runs in a worker thread (integrity-worker.ts) beside the indexing; where the
 * worker cannot load (the TypeScript sources run by the tests, without dist/), it runs on this
 * thread once the first frame is out.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { checkIntegrity, type Integrity } from '../journal/integrity.js';

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

  /** Starts checking `path`; `onDone` runs once the verdict or the error is known (not after `stop`). */
  constructor(
    readonly path: string,
    onDone: () => void = () => {},
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
    void this.worker?.terminate();
  }

  private async run(): Promise<void> {
    const r = await this.inWorker();
    if (r !== 'no worker') return this.settle(r);
    this.where = 'thread';
    // After the first frame: the caller draws it before this thread is given back.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (this.stopped) return;
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
      const worker = new Worker(url, { workerData: { path: this.path } });
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
