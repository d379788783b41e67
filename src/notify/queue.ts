/**
 * One webhook's outbox: notifications go out one at a time, in the order they happened, each with
 * a few attempts (backoff.ts) while the answers say another may help. The queue is bounded: a
 * webhook that is down for the night does not grow the console's memory; the oldest waiting
 * notification is dropped, and that is reported like any other failure. Nothing here waits on
 * the caller: `push` only queues, and results come back through `report`.
 */
import { retryDelay } from './backoff.js';
import type { PostResult } from './post.js';

/** A notification waiting to go out. */
export interface Notice {
  /** What it tells (a NOTIFY_EVENTS name). */
  event: string;
  /** The journal seq of the event it tells, when it has one yet. */
  seq?: number;
  body: string;
  queuedAt: number;
}

/** How one notification ended: delivered with a status, or not with why; `attempts` made (0: never sent). */
export type Delivery = { ok: true; status: number; attempts: number } | { ok: false; error: string; status?: number; attempts: number };

/** What the queue needs: the transport, where results go, its limits. */
export interface QueueOptions {
  send(body: string, signal: AbortSignal): Promise<PostResult>;
  report(n: Notice, d: Delivery): void;
  /** Notifications waiting at most (default 100); one more drops the oldest. */
  max?: number;
  /** Attempts per notification (default 3). */
  attempts?: number;
  /** Random in [0, 1), for the jitter (tests pin it). */
  random?: () => number;
}

/** The notification being sent: attempts so far, and the last failed one's status and error. */
interface InFlight {
  notice: Notice;
  attempts: number;
  status?: number;
  error?: string;
}

/** Default bound of a webhook's queue. */
export const QUEUE_MAX = 100;
/** Default attempts per notification. */
export const ATTEMPTS = 3;

/** A webhook's ordered, bounded outbox with one request in flight. */
export class WebhookQueue {
  private readonly pending: Notice[] = [];
  private current: InFlight | undefined;
  private running = false;
  private closed = false;
  private readonly ac = new AbortController();
  private waiters: (() => void)[] = [];

  constructor(private readonly o: QueueOptions) {}

  /** Queues a notification (dropping the oldest waiting one when full) and starts sending if idle. */
  push(n: Notice): void {
    if (this.closed) {
      this.o.report(n, { ok: false, error: 'not sent: the session had ended', attempts: 0 });
      return;
    }
    const max = this.o.max ?? QUEUE_MAX;
    if (this.pending.length >= max) {
      const dropped = this.pending.shift()!;
      this.o.report(dropped, {
        ok: false,
        error: `dropped: ${max} notifications were waiting for this webhook (it is slow or down); the newest are kept`,
        attempts: 0,
      });
    }
    this.pending.push(n);
    if (!this.running) void this.run();
  }

  /** Resolves once nothing is waiting or in flight. */
  idle(): Promise<void> {
    if (!this.running && this.pending.length === 0) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  /** Stops for good: the request in flight is cancelled, and it and every waiting one are reported undelivered, with `why`. */
  close(why: string): void {
    if (this.closed) return;
    this.closed = true;
    const cur = this.current;
    this.current = undefined;
    this.ac.abort();
    if (cur)
      this.o.report(cur.notice, {
        ok: false,
        error: cur.error ? `${why}; the last attempt: ${cur.error}` : why,
        attempts: cur.attempts,
        ...(cur.status !== undefined ? { status: cur.status } : {}),
      });
    for (const n of this.pending.splice(0)) this.o.report(n, { ok: false, error: why, attempts: 0 });
    this.wake();
  }

  private async run(): Promise<void> {
    this.running = true;
    while (!this.closed && this.pending.length) {
      const cur: InFlight = { notice: this.pending.shift()!, attempts: 0 };
      this.current = cur;
      const d = await this.deliver(cur);
      // Once closed, close() has reported what was in flight.
      if (this.closed) break;
      this.current = undefined;
      this.o.report(cur.notice, d);
    }
    this.running = false;
    this.wake();
  }

  private async deliver(cur: InFlight): Promise<Delivery> {
    const most = this.o.attempts ?? ATTEMPTS;
    for (;;) {
      cur.attempts++;
      // The transport never throws; if it ever did, that is one failed attempt, not a stuck queue.
      const r = await this.o
        .send(cur.notice.body, this.ac.signal)
        .catch((e: unknown): PostResult => ({ ok: false, retry: false, error: `cutover could not send it: ${(e as Error).message}` }));
      if (r.ok) return { ok: true, status: r.status, attempts: cur.attempts };
      cur.error = r.error;
      if (r.status !== undefined) cur.status = r.status;
      else delete cur.status;
      if (!r.retry || cur.attempts >= most || this.closed)
        return { ok: false, error: r.error, attempts: cur.attempts, ...(r.status !== undefined ? { status: r.status } : {}) };
      await sleep(retryDelay(cur.attempts, r.retryAfterMs, this.o.random), this.ac.signal);
      if (this.closed) return { ok: false, error: r.error, attempts: cur.attempts };
    }
  }

  private wake(): void {
    if (this.running && !this.closed) return;
    for (const w of this.waiters.splice(0)) w();
  }
}

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
