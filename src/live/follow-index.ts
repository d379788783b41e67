/**
 * A live journal read as it grows, for `cutover follow`: each new line goes through the same gate
 * as replay's (admit.ts: shape, the judge, the reducer), so a line the judge refuses is a problem
 * here too, never a fact. Per event it keeps what replay's index keeps to read the event back
 * from the file (offset, length, line: 16 bytes), the story, and the state at the end; no
 * snapshots (a follower never seeks) and no events, so a night-long journal costs bytes per
 * event. The hash chain is checked line by line as it arrives (the live form of replay's
 * integrity check). An unterminated last line is the console still writing it: it is read again
 * from its start once its newline is there (line-reader.ts, follow mode).
 */
import fs from 'node:fs';
import { OutputTails } from '../core/output-tails.js';
import type { SessionEvent } from '../core/events.js';
import { initialState, type SessionState } from '../core/state.js';
import { StoryIndex } from '../core/story.js';
import { LineReader, type ReaderLine } from '../journal/line-reader.js';
import { GENESIS_HASH, lineHash, splitHash } from '../journal/line.js';
import { admit } from '../replay/admit.js';
import { f64, u32 } from '../replay/columns.js';
import { Folder } from '../replay/fold.js';
import type { LineProblem } from '../replay/lines.js';
import { Plausibility } from '../replay/plausible.js';
import type { EventOffsets } from '../replay/reader.js';

/** Read buffer: a journal that grows by MBs at once is read a MB at a time, in time slices. */
const CHUNK = 1 << 20;

/** The followed journal as far as it has been read. */
export class FollowIndex implements EventOffsets {
  readonly starts = f64();
  readonly lengths = u32();
  readonly lineNos = u32();
  /** The story of the events read so far (the timeline's default view). */
  readonly story = new StoryIndex();
  /** Lines not taken as fact: malformed, refused by the judge, or not applicable. */
  readonly problems: LineProblem[] = [];
  /** The first line where the hash chain breaks (`FILE:LINE: …`), once one does. */
  chainProblem: string | undefined;
  /** Why following stopped, once it has: the file got shorter than what was read, or cannot be read. */
  halted: string | undefined;
  /** Bytes of the file known so far (its size at the last look). */
  size = 0;
  /** Called with each event taken as fact, after it is folded (the approvals tracker, the operator). */
  onEvent: (e: SessionEvent) => void = () => {};
  private readonly lines: LineReader;
  private readonly line: ReaderLine = { text: '', line: 0, start: 0, end: 0, terminated: false };
  private readonly folder = new Folder(initialState(), new OutputTails());
  private readonly judge = new Plausibility({ clock: Date.now });
  private current: SessionState;
  private prevHash = GENESIS_HASH;

  private constructor(
    /** The journal file. */
    readonly path: string,
    private readonly fd: number,
  ) {
    this.lines = new LineReader(fd, 0, CHUNK);
    this.lines.grow(0);
    this.current = this.folder.state();
  }

  /** Opens `path` for following; nothing is read yet. Throws (with the path) when it cannot be opened. */
  static open(path: string): FollowIndex {
    const fd = fs.openSync(path, 'r');
    if (!fs.fstatSync(fd).isFile()) {
      fs.closeSync(fd);
      throw new Error(`${path}: not a regular file, not a journal`);
    }
    return new FollowIndex(path, fd);
  }

  /** Events taken as fact so far. */
  get count(): number {
    return this.starts.length;
  }

  /** The session after every event read so far (one object until more are folded). */
  get state(): SessionState {
    return this.current;
  }

  /** The commands' output tails after every event read so far. */
  get tails(): OutputTails {
    return this.folder.tails!;
  }

  /** Bytes not read yet, as of the last look at the file's size. */
  get unread(): number {
    return Math.max(0, this.size - this.lines.bytes);
  }

  /**
   * Reads new lines for about `budgetMs` (at least one; at most `maxLines`); returns true when it
   * read everything the file held at its last look (call again later: `look` first). Folds as it goes.
   */
  step(budgetMs: number, maxLines = Infinity): boolean {
    const until = performance.now() + budgetMs;
    const before = this.count;
    let done = false;
    for (let n = 0; ; n++) {
      if (n >= maxLines || ((n & 255) === 255 && performance.now() > until)) break;
      if (!this.lines.next(this.line)) {
        done = true;
        break;
      }
      this.add(this.line);
    }
    if (this.count !== before) this.current = this.folder.state();
    return done;
  }

  /** Looks at the file's size; returns true when there is something to read (it grew, or a read stopped short of its end). */
  look(): boolean {
    if (this.halted) return false;
    const size = fs.fstatSync(this.fd).size;
    if (size < this.lines.bytes) {
      // Only a torn tail is ever cut (resume), and the reader never took it: anything else is a rewrite.
      this.halted = `${this.path}: cut to ${size} bytes while followed (${this.lines.bytes} were read); what is shown may no longer be in it: follow it again`;
      return false;
    }
    if (size > this.size) {
      this.size = size;
      this.lines.grow(size);
    }
    return !this.lines.atEnd;
  }

  /** Reads bytes of the journal at `position` (the event reader's access to the file). */
  readAt(buf: Buffer, position: number): number {
    return fs.readSync(this.fd, buf, 0, buf.length, position);
  }

  /** Closes the file. */
  close(): void {
    fs.closeSync(this.fd);
  }

  private add(raw: ReaderLine): void {
    this.chain(raw);
    const r = admit(raw, this.judge, this.folder, this.problems);
    if (!r) return;
    const i = this.count;
    this.starts.push(raw.start);
    this.lengths.push(raw.end - raw.start - (raw.terminated ? 1 : 0));
    this.lineNos.push(raw.line);
    this.story.add(r.event, i);
    this.onEvent(r.event);
  }

  /** The hash chain, line by line, up to its first break (after that, `cutover verify` says how). */
  private chain(raw: ReaderLine): void {
    if (this.chainProblem !== undefined) return;
    const split = raw.tooLong ? undefined : splitHash(raw.text);
    if (split && lineHash(this.prevHash, split.body) === split.hash) {
      this.prevHash = split.hash;
      return;
    }
    this.chainProblem = `${this.path}:${raw.line}: the hash chain breaks here (a line edited, dropped, inserted or reordered); 'cutover verify ${this.path}' tells more`;
  }
}
