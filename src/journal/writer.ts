/**
 * Appends events to a session journal. Seq and hash are assigned when `append` is called, so the chain
 * follows call order whatever the I/O does; the bytes go out through a batching `FileSink`. After each
 * fsynced decision, and at close, the head anchor beside the journal (`JOURNAL.head`) names the last
 * line on disk, so that lines cut off the end or a recomputed chain are found by `cutover verify`.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { isDecision, type EventBase, type JournalEvent } from './event.js';
import { encodeLine, GENESIS_HASH } from './line.js';
import { readJournal, type ReadResult } from './reader.js';
import { checkAnchor } from './anchor.js';
import { sigPath } from './head.js';
import { HeadWriter } from './head-writer.js';
import { FileSink } from './sink.js';
import * as io from './fsio.js';

/** Where an appended event landed in the chain. */
export interface Appended {
  seq: number;
  hash: string;
}

/** Where a written event landed in the chain and in the file: its line starts at byte `at` and has `length` bytes before its newline. */
export interface Written extends Appended {
  at: number;
  length: number;
}

/** Writer options; `assert` is a development check run on each event before it is serialized. */
export interface WriterOptions<E> {
  assert?: (event: E) => void;
}

/** `FILE:12: …` as `line 12: …` (the error already names the file). */
const withoutPath = (problem: string, path: string) =>
  problem.startsWith(`${path}:`)
    ? problem
        .slice(path.length + 1)
        .replace(/^(\d+):/, 'line $1:')
        .trim()
    : problem;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const START: Appended = { seq: 0, hash: GENESIS_HASH };

/** An open journal file: append-only, hash-chained, one write in flight at a time. */
export class JournalWriter<E extends EventBase = JournalEvent> {
  private last: Appended;
  private readonly sink: FileSink;
  private readonly head: HeadWriter;

  private constructor(
    /** The journal file. */
    readonly path: string,
    fd: number,
    end: number,
    last: Appended,
    private readonly opts: WriterOptions<E>,
  ) {
    this.last = last;
    this.head = new HeadWriter(path);
    this.sink = new FileSink(path, fd, end, last.seq ? last : undefined, undefined, (mark) => this.head.schedule(mark));
  }

  /** Seq of the last appended event (0 before any). */
  get lastSeq(): number {
    return this.last.seq;
  }

  /** Set while writes fail: events are held in memory and retried until the disk takes them again. */
  get failure(): Error | undefined {
    return this.sink.failure;
  }

  /** Sets who hears each failed write (its error) and the first success after them (undefined). */
  watchStatus(fn: (failure: Error | undefined) => void): void {
    this.sink.onStatus = fn;
  }

  /** Set while the head anchor cannot be written; the journal goes on (verify will then find the head behind). */
  get headFailure(): Error | undefined {
    return this.head.failure;
  }

  /** Sets who hears each failed head write (its error) and the first good one after them (undefined). */
  watchHeadStatus(fn: (failure: Error | undefined) => void): void {
    this.head.onStatus = fn;
  }

  /** Waits for the head writes queued so far (tests, and close). */
  headSettled(): Promise<void> {
    return this.head.settled();
  }

  /** After close: the lines (with their seq and hash) that never reached the file, to keep elsewhere. */
  unwritten(): Buffer {
    return Buffer.concat(this.sink.unwritten.map((u) => u.bytes));
  }

  /** Hash of the last appended event (the genesis hash before any). */
  get lastHash(): string {
    return this.last.hash;
  }

  /** Creates a new journal file, mode 0600; refuses to overwrite an existing file. */
  static async create<E extends EventBase = JournalEvent>(path: string, opts: WriterOptions<E> = {}): Promise<JournalWriter<E>> {
    let fd: number;
    try {
      fd = await io.open(path, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST')
        throw new Error(`journal ${path} already exists; cutover never overwrites a journal (resume it, or start a new session)`, {
          cause: err,
        });
      throw new Error(`cannot create journal ${path}: ${message(err)}`, { cause: err });
    }
    // open's mode passes through the umask; command output in the journal may hold secrets, so force 0600.
    try {
      await io.fchmod(fd, 0o600);
      // Without this a power cut could lose the file's name even though its decisions were fdatasynced.
      await io.syncDir(dirname(path));
    } catch (err) {
      await io.close(fd).catch(() => {});
      throw new Error(`cannot set up journal ${path}: ${message(err)}`, { cause: err });
    }
    return new JournalWriter<E>(path, fd, 0, START, opts);
  }

  /** Reopens a journal to continue its chain, cutting a torn last line; refuses a journal whose chain is broken. */
  static async openForAppend<E extends EventBase = JournalEvent>(path: string, opts: WriterOptions<E> = {}): Promise<JournalWriter<E>> {
    const fail = (err: unknown): never => {
      throw new Error(`cannot resume journal ${path}: ${message(err)}`, { cause: err });
    };
    let read: ReadResult<E>;
    try {
      // The chain and the head: a journal whose tail was cut or whose chain was recomputed is not extended either.
      const anchor = checkAnchor(path);
      if (anchor.problems.length)
        throw new Error(
          `${withoutPath(anchor.problems[0], path)}; cutover will not extend a damaged or tampered journal: inspect it (cutover verify ${path}), or start a new session`,
        );
      read = readJournal<E>(path);
    } catch (err) {
      return fail(err);
    }
    const fd = await io.open(path, 'r+').catch(fail);
    try {
      // Cut the torn tail, so new lines start on a line of their own instead of being glued to half a line.
      await io.ftruncate(fd, read.end);
      let end = read.end;
      if (end > 0 && (await io.byteAt(fd, end - 1)) !== 0x0a) {
        await io.writeAll(fd, Buffer.from('\n'), end);
        end += 1;
      }
      await io.datasync(fd);
      const last = read.entries.at(-1);
      const w = new JournalWriter<E>(path, fd, end, last ? { seq: last.seq, hash: last.hash } : START, opts);
      // The old signature is of a head this session is about to move on from; its end signs the new one.
      rmSync(sigPath(path), { force: true });
      const first = read.entries[0];
      if (first) w.firstLine(first.hash, first.event);
      if (last) w.head.schedule(last); // not closed any more: lines will follow
      return w;
    } catch (err) {
      await io.close(fd).catch(() => {});
      return fail(err);
    }
  }

  /**
   * Appends an event. Decisions (see `isDecision`) resolve once written and fdatasynced, after every earlier
   * line; other events resolve once their batch is written. While writes fail the promise waits (the line is
   * retried); it rejects when the journal closes without having written it, so fire-and-forget callers need a `.catch`.
   */
  append(event: E): Promise<Written> {
    if (this.sink.closed) return Promise.reject(new Error(`journal ${this.path} is closed; cannot append ${event?.type} event`));
    let line: { text: string; hash: string };
    try {
      if (typeof event?.type !== 'string' || typeof event.t !== 'number') throw new Error('an event needs a string type and a numeric t');
      this.opts.assert?.(event);
      line = encodeLine(this.last.seq + 1, this.last.hash, event);
    } catch (err) {
      return Promise.reject(new Error(`journal ${this.path}: cannot record ${event?.type} event: ${message(err)}`, { cause: err }));
    }
    const appended = { seq: this.last.seq + 1, hash: line.hash };
    this.last = appended;
    if (appended.seq === 1) this.firstLine(line.hash, event);
    const bytes = Buffer.from(`${line.text}\n`, 'utf8');
    return this.sink
      .add(bytes, isDecision(event.type), appended.seq, appended.hash)
      .then((at) => ({ ...appended, at, length: bytes.length - 1 }));
  }

  /** Writes everything appended so far to the file (no fsync); rejects if any write has failed. */
  flush(): Promise<void> {
    return this.sink.flush();
  }

  /**
   * Flushes, fsyncs and closes, then writes the final head; later appends reject. Rejects if any write
   * has failed (a head that cannot be written is reported through `watchHeadStatus` instead).
   */
  async close(): Promise<void> {
    try {
      await this.sink.close();
    } finally {
      await this.head.close(this.sink.synced, this.endsHere());
    }
  }

  /** For exit paths: writes whatever is not yet written, fsyncs and closes, synchronously; safe while a flush is pending. */
  closeSync(): void {
    try {
      this.sink.closeSync();
    } finally {
      this.head.closeSync(this.sink.synced, this.endsHere());
    }
  }

  /** Whether the final head names the last appended line: then nothing may follow it in the file. */
  private endsHere(): boolean {
    return this.sink.synced?.seq === this.last.seq && this.sink.unwritten.length === 0;
  }

  /** The head names the journal by its first line (and, for people, the session id in it). */
  private firstLine(hash: string, event: E): void {
    this.head.first = hash;
    const id = (event as { sessionId?: unknown }).sessionId;
    if (typeof id === 'string') this.head.session = id;
  }
}
