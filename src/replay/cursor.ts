/**
 * A position in an indexed journal (how many events are folded), the state there and the output
 * tails there. A move folds forward from the current position when that is shorter, else from
 * the nearest snapshot at or before the target: never more than one snapshot interval, never
 * from the start.
 */
import { OutputTails, type TailsRecord } from '../core/output-tails.js';
import type { SessionState } from '../core/state.js';
import { Folder } from './fold.js';
import type { JournalIndex } from './indexer.js';
import type { EventReader } from './reader.js';
import { unpack, unpackTails, type Snapshot } from './snapshot.js';

/** Where the replay is, and what the session looked like there. */
export class Cursor {
  /** Events folded into `state`. */
  position = 0;
  state: SessionState;
  /** The commands' output tails at the position (changed in place when folding forward). */
  tails: OutputTails;
  /** Events folded by the last move (tests check that seeks stay within a snapshot interval). */
  lastFolded = 0;
  /** A forward fold failed half way: the tails ran ahead of the state, so the next move starts from a snapshot. */
  private stale = false;
  private lastUnpacked: { snap: Snapshot; state: SessionState; tails: { record: TailsRecord; started: boolean } } | undefined;

  constructor(
    private readonly index: JournalIndex,
    private readonly reader: EventReader,
  ) {
    const first = this.unpacked(index.snapshots[0]);
    this.state = first.state;
    this.tails = OutputTails.restore(first.tails.record, first.tails.started);
  }

  /** Folds to exactly `target` events. Throws (naming the file and line) if the journal changed on disk; the cursor stays. */
  moveTo(target: number): void {
    if (target === this.position && !this.stale) return;
    const snap = this.nearest(target);
    const fromHere = !this.stale && target > this.position && target - this.position <= target - snap.index;
    const from = fromHere ? { index: this.position, state: this.state, tails: this.tails } : this.fromSnapshot(snap);
    const folder = new Folder(from.state, from.tails);
    try {
      this.reader.each(from.index, target, (e) => folder.add(e));
    } catch (err) {
      // The state stays where it was; tails folded in place may not have.
      if (fromHere) this.stale = true;
      throw err;
    }
    this.state = folder.state();
    this.tails = from.tails;
    this.stale = false;
    this.lastFolded = target - from.index;
    this.position = target;
  }

  /** A snapshot's state and a fresh buffer of its tails (the buffer is folded in place, so never shared). */
  private fromSnapshot(snap: Snapshot): { index: number; state: SessionState; tails: OutputTails } {
    const u = this.unpacked(snap);
    return { index: snap.index, state: u.state, tails: OutputTails.restore(u.tails.record, u.tails.started) };
  }

  /** The last snapshot at or before `target` (binary search). */
  private nearest(target: number): Snapshot {
    const snaps = this.index.snapshots;
    let lo = 0;
    for (let hi = snaps.length - 1; lo < hi; ) {
      const mid = (lo + hi + 1) >>> 1;
      if (snaps[mid].index <= target) lo = mid;
      else hi = mid - 1;
    }
    return snaps[lo];
  }

  /** A snapshot unpacked; the last one is kept, as seeks often land near each other. */
  private unpacked(s: Snapshot): NonNullable<Cursor['lastUnpacked']> {
    if (this.lastUnpacked?.snap !== s) this.lastUnpacked = { snap: s, state: unpack(s), tails: unpackTails(s) };
    return this.lastUnpacked;
  }
}
