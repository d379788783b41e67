/**
 * Ordered, batched appends of bytes to one open file. Batches go out one at a time at explicit offsets
 * (pwrite), so writing the same bytes twice is harmless: that is what lets `closeSync` run while an async
 * write may still be waiting in the thread pool, and a failed batch be written again later.
 *
 * A failed write (disk full, I/O error, read-only remount) loses nothing: the lines stay in memory in
 * order, `failure` says why, and the batch is retried every RETRY_MS until it goes through (then
 * `failure` clears). Lines still unwritten when the sink closes are kept in `unwritten` for a fallback file.
 */
import fs from 'node:fs';
import * as io from './fsio.js';
import type { Mark } from './head-writer.js';

/** Chatty lines wait this long for company before they are written... */
const BATCH_DELAY_MS = 50;
/** ...unless this many bytes are already waiting. */
const BATCH_MAX_BYTES = 256 * 1024;
/** While writes fail, they are tried again this often. */
const RETRY_MS = 1000;

interface Pending {
  bytes: Buffer;
  durable: boolean;
  seq: number;
  /** The line's hash: the head anchor names the last line on disk by seq and hash. */
  hash: string;
  /** Settled with the byte offset the line was written at. */
  resolve: (at: number) => void;
  reject: (e: Error) => void;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Batched writer of lines to a file descriptor it owns. */
export class FileSink {
  private buffered: Pending[] = [];
  private bufferedBytes = 0;
  /** The batch handed to the OS and not yet confirmed, with the offset it was written at. */
  private inFlight: { at: number; items: Pending[] } | undefined;
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** A job is between its start and its end: it may have a write or fsync in the thread pool. */
  private running = false;
  private closing: Promise<void> | undefined;
  private fdClosed = false;
  private closeDeferred = false;
  /** Set once close or closeSync is called. */
  closed = false;
  /** Set while writes fail (the latest failure); cleared when a retry goes through. */
  failure: Error | undefined;
  /** After close: the lines that never reached the file, in order, for a fallback file. */
  unwritten: { seq: number; bytes: Buffer }[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  /** The last line written to the file (maybe not yet synced). */
  private written: Mark | undefined;
  /** The last line known to be on disk (fdatasynced or fsynced with everything before it). */
  synced: Mark | undefined;

  constructor(
    private readonly path: string,
    private readonly fd: number,
    private end: number,
    /** The last line already in the file, on disk (a resumed journal's). */
    last?: Mark,
    /** Hears every failed write (with its error) and the first write that succeeds after them (undefined). */
    public onStatus: (failure: Error | undefined) => void = () => {},
    /** Hears each fdatasync that put durable lines on disk, with the last line it covers (the head anchor is written then). */
    public onSynced: (mark: Mark) => void = () => {},
  ) {
    this.written = this.synced = last;
  }

  /**
   * Queues a line (seq is for messages); durable lines are fdatasynced, with everything before them, at once.
   * Resolves, once the line is written, with its byte offset in the file (the live timeline reads it back from there).
   */
  add(bytes: Buffer, durable: boolean, seq: number, hash = ''): Promise<number> {
    return new Promise((resolve, reject) => {
      this.buffered.push({ bytes, durable, seq, hash, resolve, reject });
      this.bufferedBytes += bytes.length;
      // While failing, only the retry timer writes: every append must not hammer a full disk.
      if (this.failure) return;
      if (durable || this.bufferedBytes > BATCH_MAX_BYTES) void this.kick();
      else if (!this.queued) this.timer ??= setTimeout(() => void this.kick(), BATCH_DELAY_MS);
    });
  }

  /** Writes everything queued so far; rejects if any write has failed. */
  async flush(): Promise<void> {
    await this.kick();
    if (this.failure) throw this.failure;
  }

  /** Flushes, fsyncs and closes the file. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.stopRetry();
    void this.kick();
    this.closing = this.enqueue(async () => {
      if (this.fdClosed) return; // closeSync got there first and wrote everything
      let error = this.keepUnwritten();
      // A torn half-line from a failed write would glue itself to the fallback lines appended later.
      if (error) await io.ftruncate(this.fd, this.end).catch(() => {});
      await io.fsync(this.fd).then(
        () => void (this.synced = this.written),
        (err) =>
          (error ??= new Error(`journal ${this.path}: fsync failed (${message(err)}); the last events may not be on disk`, {
            cause: err,
          })),
      );
      this.fdClosed = true;
      await io.close(this.fd).catch((err) => (error ??= new Error(`journal ${this.path}: close failed (${message(err)})`, { cause: err })));
      if (error) throw error;
    });
    return this.closing;
  }

  /** For exit paths: writes every line not yet confirmed written, fsyncs and closes, all synchronously. */
  closeSync(): void {
    if (this.fdClosed) return;
    clearTimeout(this.timer);
    this.stopRetry();
    this.closed = true;
    this.closing ??= Promise.resolve();
    // The in-flight batch may or may not have reached the file; writing it again at its own offset is harmless.
    const items = [...(this.inFlight?.items ?? []), ...this.buffered];
    const at = this.inFlight?.at ?? this.end;
    this.buffered = [];
    this.bufferedBytes = 0;
    let error: Error | undefined;
    try {
      io.writeAllSync(this.fd, Buffer.concat(items.map((p) => p.bytes)), at);
      fs.fsyncSync(this.fd);
      this.written = items.length ? markOf(items.at(-1)!) : this.written;
      this.synced = this.written;
    } catch (err) {
      const lost = items.length ? `events from seq ${items[0].seq} on are not in it` : 'the last events may not be on disk';
      error = new Error(`journal ${this.path}: final write failed (${message(err)}); ${lost}`, { cause: err });
      this.unwritten = items.map((p) => ({ seq: p.seq, bytes: p.bytes }));
      try {
        fs.ftruncateSync(this.fd, at);
      } catch {
        // best effort: a torn last line still loads
      }
    }
    // A running job may still have a write or fsync in the thread pool; closing now could aim it at a reused fd.
    if (this.running) this.closeDeferred = true;
    else this.releaseFd();
    if (error) for (const p of items) p.reject(error);
    else settle(items, at);
    if (error) throw error;
  }

  /** At close: whatever is still buffered never reached the file; keep it for the fallback and say so. */
  private keepUnwritten(): Error | undefined {
    if (!this.buffered.length) return undefined;
    const items = this.buffered;
    this.buffered = [];
    this.bufferedBytes = 0;
    this.unwritten = items.map((p) => ({ seq: p.seq, bytes: p.bytes }));
    const error = new Error(
      `journal ${this.path}: ${items.length} event${items.length === 1 ? '' : 's'} from seq ${items[0].seq} on could not be written (${message(this.failure?.cause ?? this.failure)})`,
      { cause: this.failure },
    );
    for (const p of items) p.reject(error);
    return error;
  }

  /** Records a batch that is in the file; one with a durable line was fdatasynced, so the head may name its last line. */
  private wrote(items: Pending[]): void {
    this.written = markOf(items.at(-1)!);
    if (!items.some((p) => p.durable)) return;
    this.synced = this.written;
    this.onSynced(this.synced);
  }

  private stopRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private releaseFd(): void {
    if (this.fdClosed) return;
    this.fdClosed = true;
    // Only reached after closeSync fsynced, so a close error cannot mean lost data.
    fs.close(this.fd, () => {});
  }

  /** Queues a drain behind the running job unless one is queued already; it takes everything buffered when it starts. */
  private kick(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    return (this.queued ??= this.enqueue(() => {
      this.queued = undefined;
      return this.drain();
    }));
  }

  /** Serializes jobs; the chain itself never rejects, so one failure does not stall later jobs. */
  private enqueue(job: () => Promise<void>): Promise<void> {
    const run = async () => {
      this.running = true;
      try {
        await job();
      } finally {
        this.running = false;
        if (this.closeDeferred) this.releaseFd();
      }
    };
    const done = this.chain.then(run);
    this.chain = done.catch(() => {});
    return done;
  }

  /** Writes the buffered batch; never rejects: failures settle the batch's promises instead. */
  private async drain(): Promise<void> {
    if (this.buffered.length === 0 || this.fdClosed) return;
    const items = this.buffered;
    const data = Buffer.concat(items.map((p) => p.bytes));
    const at = this.end;
    this.buffered = [];
    this.bufferedBytes = 0;
    this.end += data.length;
    this.inFlight = { at, items };
    try {
      await io.writeAll(this.fd, data, at);
      if (items.some((p) => p.durable)) await io.datasync(this.fd);
      // After closeSync (which wrote and synced this batch itself) the marks are final already.
      if (!this.closeDeferred) this.wrote(items);
      settle(items, at);
      if (this.failure) {
        this.failure = undefined;
        this.onStatus(undefined);
      }
    } catch (err) {
      if (this.closeDeferred) return; // closeSync already wrote and synced this batch itself
      // Nothing is lost: the batch goes back in front of what came since, to be written again at the same offset.
      this.buffered = [...items, ...this.buffered];
      this.bufferedBytes = this.buffered.reduce((n, p) => n + p.bytes.length, 0);
      this.end = at;
      this.failure = new Error(
        `journal ${this.path}: write failed (${message(err)}); events from seq ${items[0].seq} on are held in memory and retried`,
        { cause: err },
      );
      this.onStatus(this.failure);
      if (!this.closed)
        this.retryTimer ??= setTimeout(() => {
          this.retryTimer = undefined;
          void this.kick();
        }, RETRY_MS).unref();
    } finally {
      this.inFlight = undefined;
    }
  }
}

const markOf = (p: Pending): Mark => ({ seq: p.seq, hash: p.hash });

/** Resolves each line of a batch written at `at` with its own offset. */
function settle(items: Pending[], at: number): void {
  for (const p of items) {
    p.resolve(at);
    at += p.bytes.length;
  }
}
