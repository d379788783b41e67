/**
 * Lines of a journal file, read in chunks through one buffer, with no object per line but its
 * text: the line's fields are written into an object the caller reuses (for a million lines,
 * garbage per line is what grows the heap). A line longer than the limit is skipped without
 * being kept, so a hostile journal can neither exhaust memory nor outgrow a string. Every reader
 * of journal files (read, verify, resume, replay, report) goes through this one.
 */
import fs from 'node:fs';
import type { RawLine } from './scan.js';

/** Longest line read (the first line holds the whole runbook; nothing real comes near this). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** A line as the reader gives it: `tooLong` when it exceeded the limit (its text is then empty, its bytes skipped). */
export interface ReaderLine extends RawLine {
  tooLong?: boolean;
}

/** Reads the lines of an open file, one `next` at a time. */
export class LineReader {
  private readonly buf: Buffer;
  private view: Buffer;
  private pos = 0;
  /** The start of a line that the next chunks end: pieces joined once, at its newline. */
  private carry: Buffer[] = [];
  private carryLen = 0;
  private fileAt = 0;
  private lineStart = 0;
  private lineNo = 0;
  private eof = false;
  /** Bytes of an over-long line skipped so far (its text is never kept: it could outgrow memory or a string). */
  private skipped = 0;

  /** Follow mode (`hold`): the file grows; see `grow`. */
  private hold = false;

  constructor(
    private readonly fd: number,
    private size: number,
    chunkBytes = 1 << 20,
    /** Called with the first chunk read (the indexer sizes itself from it). */
    private readonly onFirst: (chunk: Buffer) => void = () => {},
    private readonly maxLine = MAX_LINE_BYTES,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
    this.view = this.buf.subarray(0, 0);
  }

  /** Bytes read from the file so far. */
  get bytes(): number {
    return this.fileAt;
  }

  /**
   * Follow mode (cutover follow): the file has grown to `size`; lines after the last one given out
   * are read on the next `next`. From the first call on, an unterminated last line is not given out
   * (the writer is still writing it): it is read again from its start once more of it is there.
   */
  grow(size: number): void {
    this.hold = true;
    this.size = size;
    if (this.fileAt < size) this.eof = false;
  }

  /** Whether everything up to the size given is read (follow mode: but an unterminated last line). */
  get atEnd(): boolean {
    return this.eof && this.pos >= this.view.length && !this.carryLen && !this.skipped;
  }

  /** Fills `out` with the next line; false at the end of the file. */
  next(out: ReaderLine): boolean {
    out.tooLong = false;
    for (;;) {
      if (this.pos < this.view.length) {
        const nl = this.view.indexOf(10, this.pos);
        if (nl !== -1 && this.skipped) {
          const bytes = this.skipped + nl - this.pos;
          this.skipped = 0;
          this.pos = nl + 1;
          out.tooLong = true;
          return this.emit(out, '', bytes, true);
        }
        if (nl !== -1) {
          const text = this.carryLen
            ? Buffer.concat([...this.carry, this.view.subarray(this.pos, nl)]).toString('utf8')
            : this.view.toString('utf8', this.pos, nl);
          const bytes = this.carryLen + nl - this.pos;
          this.dropCarry();
          this.pos = nl + 1;
          return this.emit(out, text, bytes, true);
        }
        // The rest of the chunk starts a line that the next chunk ends: copied, the buffer is reused.
        const rest = this.view.subarray(this.pos);
        if (this.skipped || this.carryLen + rest.length > this.maxLine) {
          this.skipped += this.carryLen + rest.length;
          this.dropCarry();
        } else {
          this.carry.push(Buffer.from(rest));
          this.carryLen += rest.length;
        }
        this.pos = this.view.length;
      }
      if (this.eof) {
        if (this.hold) return this.rewind();
        if (this.skipped) {
          const bytes = this.skipped;
          this.skipped = 0;
          out.tooLong = true;
          return this.emit(out, '', bytes, false);
        }
        if (!this.carryLen) return false;
        const tail = Buffer.concat(this.carry);
        this.dropCarry();
        return this.emit(out, tail.toString('utf8'), tail.length, false);
      }
      const n = fs.readSync(this.fd, this.buf, 0, this.buf.length, this.fileAt);
      if (this.fileAt === 0 && n > 0) this.onFirst(this.buf.subarray(0, n));
      this.fileAt += n;
      this.view = this.buf.subarray(0, n);
      this.pos = 0;
      if (n === 0 || this.fileAt >= this.size) this.eof = true;
    }
  }

  /** Follow mode at the end: forget the unterminated line, to read it again from its start when it has grown. */
  private rewind(): false {
    if (this.carryLen || this.skipped) {
      this.fileAt = this.lineStart;
      this.skipped = 0;
      this.dropCarry();
    }
    this.view = this.buf.subarray(0, 0);
    this.pos = 0;
    return false;
  }

  private dropCarry(): void {
    this.carry = [];
    this.carryLen = 0;
  }

  private emit(out: RawLine, text: string, bytes: number, terminated: boolean): true {
    out.text = text;
    out.line = ++this.lineNo;
    out.start = this.lineStart;
    out.end = this.lineStart + bytes + (terminated ? 1 : 0);
    out.terminated = terminated;
    this.lineStart = out.end;
    return true;
  }
}
