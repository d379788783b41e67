/**
 * A position in an indexed journal (how many events are folded) and the state there. A move
 * folds forward from the current state when that is shorter, else from the nearest snapshot at
 * or before the target: never more than one snapshot interval, never from the start.
 */
import type { SessionState } from '../core/state.js';
import { Folder } from './fold.js';
import type { JournalIndex } from './indexer.js';
import type { EventReader } from './reader.js';
import { unpack, type Snapshot } from './snapshot.js';

/** Where the replay is, and what the session looked like there. */
export class Cursor {
  /** Events folded into `state`. */
  position = 0;
  state: SessionState;
  /** Events folded by the last move (tests check that seeks stay within a snapshot interval). */
  lastFolded = 0;
  private lastUnpacked: { snap: Snapshot; state: SessionState } | undefined;

  constructor(private readonly index: JournalIndex, private readonly reader: EventReader) {
    this.state = unpack(index.snapshots[0]);
  }

  /** Folds to exactly `target` events. Throws (naming the file and line) if the journal changed on disk; the cursor stays. */
  moveTo(target: number): void {
    if (target === this.position) return;
    const snap = this.nearest(target);
    const fromHere = target > this.position && target - this.position <= target - snap.index;
    const from = fromHere ? { index: this.position, state: this.state } : { index: snap.index, state: this.unpacked(snap) };
    const folder = new Folder(from.state);
    this.reader.each(from.index, target, (e) => folder.add(e));
    this.state = folder.state();
    this.lastFolded = target - from.index;
    this.position = target;
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

  /** A snapshot's full state; the last one unpacked is kept, as seeks often land near each other. */
  private unpacked(s: Snapshot): SessionState {
    if (this.lastUnpacked?.snap !== s) this.lastUnpacked = { snap: s, state: unpack(s) };
    return this.lastUnpacked.state;
  }
}
