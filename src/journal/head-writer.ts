/**
 * Keeps `JOURNAL.head` up to date: rewritten after each fsynced decision and once at close, always
 * atomically (a unique temp file, fsynced, renamed over the head, then the directory fsynced), so a
 * reader or a crash sees the old head or the new one, never half of one. Writes run off the append
 * path: decisions resolve as soon as their own fdatasync is done, and a burst of decisions costs one
 * head write for the newest. A head that cannot be written is reported (`onStatus`) and retried
 * with the next decision; it never stops the journal.
 */
import fs from 'node:fs';
import { dirname } from 'node:path';
import * as io from './fsio.js';
import { encodeHead, headPath } from './head.js';

/** A line known to be on disk. */
export interface Mark {
  seq: number;
  hash: string;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Writes one journal's head anchor. */
export class HeadWriter {
  /** Hash of the journal's first line (set when it is appended, or read back on resume). */
  first: string | undefined;
  /** The session id from the first line. */
  session: string | undefined;
  /** Set while the head cannot be written (the latest failure); cleared by the next good write. */
  failure: Error | undefined;
  /** Hears each failed head write and the first good one after them (undefined). */
  onStatus: (failure: Error | undefined) => void = () => {};
  private pending: Mark | undefined;
  private loop: Promise<void> | undefined;
  /** Set once the final head is written: an older head still on its way must not replace it. */
  private final = false;
  private readonly path: string;

  constructor(journal: string) {
    this.path = headPath(journal);
  }

  /** Queues a head for `mark` (not closed); returns at once. */
  schedule(mark: Mark): void {
    if (this.final || !this.first) return;
    this.pending = mark;
    this.loop ??= this.run();
  }

  /** Waits for the queued head writes. */
  async settled(): Promise<void> {
    while (this.loop) await this.loop;
  }

  /** The final head, after the journal's last fsync: `closed` when every appended event is in the file. */
  async close(mark: Mark | undefined, closed: boolean): Promise<void> {
    await this.settled();
    if (this.final) return;
    this.final = true;
    if (!mark || !this.first) return;
    const text = this.text(mark, closed);
    await this.report(() => this.writeAsync(text, true));
  }

  /** The final head, synchronously (exit paths); a head write still in flight will not replace it. */
  closeSync(mark: Mark | undefined, closed: boolean): void {
    if (this.final) return;
    this.final = true;
    this.pending = undefined;
    if (!mark || !this.first) return;
    try {
      io.replaceFileSync(this.path, this.text(mark, closed));
      this.status(undefined);
    } catch (err) {
      this.status(this.error(err));
    }
  }

  private text(mark: Mark, closed: boolean): string {
    return encodeHead({ first: this.first!, ...(this.session ? { session: this.session } : {}), seq: mark.seq, hash: mark.hash, closed });
  }

  private async run(): Promise<void> {
    while (this.pending && !this.final) {
      const mark = this.pending;
      this.pending = undefined;
      const text = this.text(mark, false);
      await this.report(() => this.writeAsync(text, false));
    }
    this.loop = undefined;
  }

  private async report(write: () => Promise<void>): Promise<void> {
    try {
      await write();
      this.status(undefined);
    } catch (err) {
      this.status(this.error(err));
    }
  }

  /** Temp file, fsynced, renamed over the head; the rename is synchronous so closeSync cannot be overtaken by it. */
  private async writeAsync(text: string, isFinal: boolean): Promise<void> {
    const tmp = io.tempBeside(this.path);
    try {
      const fd = await io.open(tmp, 'wx', 0o600);
      try {
        // open's mode passes through the umask; the head names the session, so keep it as private as the journal.
        await io.fchmod(fd, 0o600);
        await io.writeAll(fd, Buffer.from(text, 'utf8'), 0);
        await io.fsync(fd);
      } finally {
        await io.close(fd);
      }
      if (this.final && !isFinal) {
        fs.rmSync(tmp, { force: true }); // the final head was written meanwhile (closeSync)
        return;
      }
      fs.renameSync(tmp, this.path);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    await io.syncDir(dirname(this.path));
  }

  private error(err: unknown): Error {
    return new Error(`journal head ${this.path}: cannot write it (${message(err)}); the journal itself is unaffected`, { cause: err });
  }

  private status(failure: Error | undefined): void {
    if (!failure && !this.failure) return;
    this.failure = failure;
    this.onStatus(failure);
  }
}
