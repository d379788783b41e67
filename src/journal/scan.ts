/** Splits journal bytes into raw lines chunk by chunk, so a file of hundreds of MB never becomes one string. */
import fs from 'node:fs';
import { LineReader, type ReaderLine } from './line-reader.js';

/** Chunk size for reading journals. */
export const CHUNK_BYTES = 1 << 20;

/** One raw line of a journal file, before any parsing. */
export interface RawLine {
  /** The line's text, decoded as UTF-8, without its newline. */
  text: string;
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte. */
  start: number;
  /** Byte offset just past the line, including its newline when it has one. */
  end: number;
  /** Whether a newline ends the line; only the last line of a file can lack one. */
  terminated: boolean;
}

/** Turns a sequence of byte chunks into lines split on '\n' bytes (safe in UTF-8: no multibyte char contains 0x0A). */
export class LineSplitter {
  private parts: Buffer[] = [];
  private line = 0;
  private offset = 0;

  /** Lines completed by this chunk; the chunk may be reused by the caller once iteration moves on. */
  *push(chunk: Buffer): Generator<RawLine> {
    let from = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, from)) {
      const piece = chunk.subarray(from, nl);
      const bytes = this.parts.length ? Buffer.concat([...this.parts, piece]) : piece;
      this.parts = [];
      from = nl + 1;
      yield this.emit(bytes, true);
    }
    // Copied: the caller reads the next chunk into the same buffer.
    if (from < chunk.length) this.parts.push(Buffer.from(chunk.subarray(from)));
  }

  /** The unterminated last line, if the data did not end with a newline. */
  *finish(): Generator<RawLine> {
    if (this.parts.length) yield this.emit(Buffer.concat(this.parts), false);
    this.parts = [];
  }

  private emit(bytes: Buffer, terminated: boolean): RawLine {
    const start = this.offset;
    this.offset += bytes.length + (terminated ? 1 : 0);
    return { text: bytes.toString('utf8'), line: ++this.line, start, end: this.offset, terminated };
  }
}

/** Raw lines of a file, read synchronously in chunks; a line over the limit comes back `tooLong`, empty. */
export function* rawLinesSync(path: string, chunkBytes = CHUNK_BYTES): Generator<ReaderLine> {
  const fd = fs.openSync(path, 'r');
  try {
    const reader = new LineReader(fd, fs.fstatSync(fd).size, chunkBytes);
    for (;;) {
      const out = {} as ReaderLine;
      if (!reader.next(out)) return;
      yield out;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Raw lines of a file, read asynchronously in chunks. */
export async function* rawLines(path: string, chunkBytes = CHUNK_BYTES): AsyncGenerator<RawLine> {
  const fh = await fs.promises.open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(chunkBytes);
    const split = new LineSplitter();
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      yield* split.push(buf.subarray(0, bytesRead));
    }
    yield* split.finish();
  } finally {
    await fh.close();
  }
}

/** Raw lines of in-memory text (tests, tools that already hold the text). */
export function rawLinesOfText(text: string): RawLine[] {
  const split = new LineSplitter();
  return [...split.push(Buffer.from(text, 'utf8')), ...split.finish()];
}
