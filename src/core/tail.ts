/**
 * One command's output tail. It keeps output as the chunks it came in (the events' own text), not
 * as lines: an append counts the chunk's newlines and keeps a reference to it, with no split and
 * no new string, so appending costs the same however many tails there are (nothing to collect
 * but what the event already allocated). Lines are cut only when a pane reads them.
 *
 * Every chunk but the last ends with a newline (text that continues an unfinished line is joined
 * to it), so dropping the oldest chunk drops whole lines. The oldest chunk goes while the rest
 * still holds the last `lines` lines, or while there are more than `chars` characters; a single
 * chunk over `chars` keeps its last `chars` characters (its first line may then be cut).
 */

/** How much one tail keeps. */
export interface TailBounds {
  lines: number;
  chars: number;
}

/** A plain copy of one tail, for comparisons and snapshots. */
export interface TailRecord {
  /** The chunks kept, oldest first. */
  chunks: string[];
  partial: boolean;
  /** Lines and characters of all output so far (more than the chunks hold). */
  lineCount: number;
  bytes: number;
  finished: boolean;
}

/** The last lines of one command's output, and counters over all of it. */
export class Tail {
  /** Kept chunks from `head` on, three slots each: text, its newlines, its length (read without touching the old string). */
  private buf: (string | number | undefined)[] = [];
  private head = 0;
  /** Newlines and characters in the kept chunks. */
  private newlines = 0;
  chars = 0;
  /** The output so far does not end with a newline: the next chunk continues its last line. */
  partial = false;
  /** Newlines and characters of all output so far. */
  private allNewlines = 0;
  bytes = 0;
  /** The command exited (or its outcome became unknown): the tail may be evicted. */
  finished = false;
  /** Bumped on every append (replay's snapshots reuse a packed tail that did not change). */
  version = 0;

  constructor(private readonly bounds: TailBounds) {}

  /** A tail holding exactly what `r` says (a snapshot's copy). */
  static of(r: TailRecord, bounds: TailBounds): Tail {
    const t = new Tail(bounds);
    for (const c of r.chunks) t.keep(c, countNewlines(c));
    t.partial = r.partial;
    t.allNewlines = r.lineCount - (r.partial ? 1 : 0);
    t.bytes = r.bytes;
    t.finished = r.finished;
    return t;
  }

  /** Lines of all output so far: every newline ends one, and an unfinished last line counts. */
  get lines(): number {
    return this.allNewlines + (this.partial ? 1 : 0);
  }

  /** A plain copy. */
  record(): TailRecord {
    const chunks: string[] = [];
    for (let i = this.head; i < this.buf.length; i += 3) chunks.push(this.buf[i] as string);
    return { chunks, partial: this.partial, lineCount: this.lines, bytes: this.bytes, finished: this.finished };
  }

  /** The last `n` lines (at most `bounds.lines`), oldest first. */
  last(n = this.bounds.lines): string[] {
    const want = Math.min(n, this.bounds.lines);
    if (want <= 0 || this.buf.length === this.head) return [];
    // Join only the newest chunks that hold the lines asked for.
    let from = this.buf.length - 3;
    for (let lines = this.lineCountAt(from); lines < want && from > this.head; ) {
      from -= 3;
      lines += this.buf[from + 1] as number;
    }
    let text = '';
    for (let i = from; i < this.buf.length; i += 3) text += this.buf[i] as string;
    const parts = text.split('\n');
    if (!this.partial) parts.pop();
    return parts.length > want ? parts.slice(parts.length - want) : parts;
  }

  /** Appends a chunk of output; returns the change in characters kept. */
  append(text: string): number {
    this.version++;
    this.bytes += text.length;
    if (text === '') return 0;
    const before = this.chars;
    const n = countNewlines(text);
    this.allNewlines += n;
    if (this.partial && this.buf.length > this.head) this.joinLast(text, n);
    else this.keep(text, n);
    this.partial = text.charCodeAt(text.length - 1) !== 10;
    this.trim(this.bounds.chars);
    return this.chars - before;
  }

  /** Keeps at most `chars` characters (less than the bound: all tails together are over theirs); returns the change. */
  shrinkTo(chars: number): number {
    const before = this.chars;
    this.trim(chars);
    return this.chars - before;
  }

  /** Lines in the chunk at `i` (its newlines, and the unfinished line when it is the last). */
  private lineCountAt(i: number): number {
    return (this.buf[i + 1] as number) + (i === this.buf.length - 3 && this.partial ? 1 : 0);
  }

  private keep(text: string, newlines: number): void {
    this.buf.push(text, newlines, text.length);
    this.newlines += newlines;
    this.chars += text.length;
  }

  /** The chunk continues the unfinished last line: one chunk, so that every chunk before the last ends a line. */
  private joinLast(text: string, newlines: number): void {
    const i = this.buf.length - 3;
    this.buf[i] = (this.buf[i] as string) + text;
    this.buf[i + 1] = (this.buf[i + 1] as number) + newlines;
    this.buf[i + 2] = (this.buf[i + 2] as number) + text.length;
    this.newlines += newlines;
    this.chars += text.length;
  }

  /** Drops oldest chunks no longer needed for the last lines, or while over `chars`; cuts a single chunk over it. */
  private trim(chars: number): void {
    while (this.buf.length - this.head > 3) {
      const rest = this.newlines - (this.buf[this.head + 1] as number) + (this.partial ? 1 : 0);
      if (rest < this.bounds.lines && this.chars <= chars) break;
      this.dropOldest();
    }
    if (this.chars > chars) this.cutLast(chars);
  }

  private dropOldest(): void {
    this.newlines -= this.buf[this.head + 1] as number;
    this.chars -= this.buf[this.head + 2] as number;
    this.buf[this.head] = undefined;
    this.head += 3;
    // Compact now and then rather than shift on every drop.
    if (this.head >= 96 && this.head * 2 > this.buf.length) {
      this.buf = this.buf.slice(this.head);
      this.head = 0;
    }
  }

  /** The one chunk left keeps its last `chars` characters. */
  private cutLast(chars: number): void {
    const whole = this.buf[this.head] as string;
    const text = whole.slice(Math.max(0, whole.length - chars));
    const n = countNewlines(text);
    this.newlines += n - (this.buf[this.head + 1] as number);
    this.chars = text.length;
    this.buf[this.head] = text;
    this.buf[this.head + 1] = n;
    this.buf[this.head + 2] = text.length;
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) n++;
  return n;
}
