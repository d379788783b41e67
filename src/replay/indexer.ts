/**
 * The replay index of a journal, built in one pass in time slices so the console can show its
 * first frame at once: per valid event its byte range, line number, time and whether it is
 * activity (skip-idle); the decisions (n/p); the story (the timeline's default view); and every `every` events a snapshot of the state and
 * of the output tails, so a seek folds at most `every` events from the nearest snapshot and never
 * from the start. Events
 * are not kept: the reader parses them again from the file when they are needed.
 */
import fs from 'node:fs';
import { OutputTails } from '../core/output-tails.js';
import { StoryIndex } from '../core/story.js';
import { initialState, type SessionState } from '../core/state.js';
import { f64, u32, u8, type Column } from './columns.js';
import { Folder } from './fold.js';
import { LineReader, type ReaderLine } from '../journal/line-reader.js';
import { Packer, type Snapshot } from './snapshot.js';
import { decisionKind, isActivity, type LineProblem } from './lines.js';
import { admit } from './admit.js';
import { Plausibility, type JudgeOptions } from './plausible.js';

const CHUNK = 1 << 20;
/**
 * Aim for about this many snapshots, whatever the journal's size: with their output tails
 * compressed (snapshot.ts) each costs a few hundred KB; a seek folds at most one interval.
 */
const SNAPSHOTS = 120;
const MIN_EVERY = 256;
const MAX_EVERY = 20_000;

/** A state kept for seeking (see snapshot.ts). */
export type { Snapshot } from './snapshot.js';

/** An index under construction (or done); read by the player, advanced by `step`. */
export class JournalIndex {
  /** Byte offset, byte length and 1-based line number of each valid event (25 bytes per event in all). */
  readonly starts: Column<Float64Array>;
  readonly lengths: Column<Uint32Array>;
  readonly lineNos: Column<Uint32Array>;
  /** Running maximum of the events' `t`: ascending, so times map to positions by binary search. */
  readonly times: Column<Float64Array>;
  /** Per event: 1 when it is activity (not a metric or alert: skip-idle stops there). */
  readonly flags: Column<Uint8Array>;
  /** Indices of decision events, and their kind (see `decisionKind`). */
  readonly decisions = u32();
  readonly decisionKinds = u8();
  readonly snapshots: Snapshot[] = [{ index: 0, state: initialState() }];
  /** The story of the whole journal (the timeline's default view), told as it is indexed; the pane shows the lines before the position. */
  readonly story = new StoryIndex();
  /** Lines not taken as fact: malformed, impossible (plausible.ts) or inapplicable ones, skipped; seq gaps, folded and flagged. */
  readonly problems: LineProblem[] = [];
  /** Whether the whole file is indexed. */
  done = false;
  /** Settles once the whole file is indexed (whoever drives `step`). */
  readonly finished: Promise<void>;
  private finish: () => void = () => {};
  /** Snapshot interval (set from the first chunk's line sizes). */
  every = MIN_EVERY;

  private readonly lines: LineReader;
  /** The current line, one object for all of them. */
  private readonly line: ReaderLine = { text: '', line: 0, start: 0, end: 0, terminated: false };
  private cancelled = false;
  private readonly folder = new Folder(initialState(), new OutputTails());
  private readonly packer = new Packer();
  private readonly judge: Plausibility;
  private timeMax = -Infinity;

  private constructor(
    /** The journal file. */
    readonly path: string,
    readonly fd: number,
    readonly size: number,
    o: JudgeOptions,
  ) {
    this.judge = new Plausibility(o);
    this.finished = new Promise((resolve) => {
      this.finish = resolve;
    });
    [this.starts, this.times, this.lengths, this.lineNos, this.flags] = [f64(), f64(), u32(), u32(), u8()];
    this.lines = new LineReader(fd, size, CHUNK, (first) => this.plan(first));
  }

  /** Bytes read so far (the progress bar's share of the file). */
  get bytes(): number {
    return this.lines.bytes;
  }

  /** Opens a journal for indexing; nothing is read yet. Throws (with the path) when it cannot be opened. `o.now`: the reader's clock, for tests. */
  static open(path: string, o: JudgeOptions = {}): JournalIndex {
    const fd = fs.openSync(path, 'r');
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) {
      fs.closeSync(fd);
      throw new Error(`${path}: is a directory, not a journal`);
    }
    return new JournalIndex(path, fd, st.size, o);
  }

  /** Number of events indexed so far. */
  get count(): number {
    return this.starts.length;
  }

  /** The state after every event indexed so far. */
  get frontier(): SessionState {
    return this.folder.peek();
  }

  /** Indexes for about `budgetMs` (at least one line); returns true once the whole file is done. */
  step(budgetMs: number): boolean {
    const until = performance.now() + budgetMs;
    for (let n = 0; !this.done; n++) {
      if ((n & 255) === 255 && performance.now() > until) break;
      if (this.lines.next(this.line)) this.add(this.line);
      else {
        this.done = true;
        this.finish();
      }
    }
    return this.done;
  }

  /** Indexes the rest, yielding to the event loop between slices; `onProgress` after each slice. Stops early on `cancel()`. */
  async run(onProgress: () => void = () => {}, sliceMs = 12): Promise<void> {
    while (!this.cancelled && !this.step(sliceMs)) {
      onProgress();
      await new Promise((r) => setImmediate(r));
    }
    onProgress();
  }

  /** The first activity event at or after `from` (count when there is none indexed). A byte scan: cheap even over long idle stretches. */
  nextActivity(from: number): number {
    let i = from;
    while (i < this.count && this.flags.at(i) === 0) i++;
    return i;
  }

  /** Stops a running `run()` after its current slice (quitting a replay before indexing is done). */
  cancel(): void {
    this.cancelled = true;
  }

  /** Reads bytes of the journal at `position` (the event reader's access to the file). */
  readAt(buf: Buffer, position: number): number {
    return fs.readSync(this.fd, buf, 0, buf.length, position);
  }

  /** Closes the file (the reader shares it). */
  close(): void {
    fs.closeSync(this.fd);
  }

  /** Sizes the columns and the snapshot interval from the first chunk: a million events must not double into two million slots. */
  private plan(first: Buffer): void {
    const n = estimate(first, this.size);
    this.every = Math.min(MAX_EVERY, Math.max(MIN_EVERY, Math.ceil(n / SNAPSHOTS)));
    const room = Math.min(1 << 26, Math.ceil(n * 1.05) + 1024);
    for (const c of [this.starts, this.times, this.lengths, this.lineNos, this.flags]) c.reserve(room);
  }

  private add(raw: ReaderLine): void {
    const r = admit(raw, this.judge, this.folder, this.problems);
    if (!r) return;
    const i = this.count;
    this.starts.push(raw.start);
    this.lengths.push(raw.end - raw.start - (raw.terminated ? 1 : 0));
    this.lineNos.push(raw.line);
    this.timeMax = Math.max(this.timeMax, r.event.t);
    this.times.push(this.timeMax);
    const kind = decisionKind(r.event.type);
    if (kind) {
      this.decisions.push(i);
      this.decisionKinds.push(kind);
    }
    this.flags.push(isActivity(r.event.type) ? 1 : 0);
    this.story.add(r.event, i);
    if ((i + 1) % this.every === 0) this.snapshots.push(this.packer.pack(i + 1, this.folder.peek(), this.folder.tails));
  }
}

/** How many events a file of `size` bytes holds, judging by its first chunk. */
function estimate(first: Buffer, size: number): number {
  let lines = 0;
  for (let at = first.indexOf(10); at !== -1; at = first.indexOf(10, at + 1)) lines++;
  return Math.ceil((size / first.length) * Math.max(1, lines));
}
