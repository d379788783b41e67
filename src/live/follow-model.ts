/**
 * The console model of a follower: read-only like replay's (no session: nothing can be executed,
 * whatever the journal holds; dangerous and acting bindings disappear), but live: the state is the
 * journal's end as the console appends to it, and the clock is the real one. With --approve, and
 * only then, it has the two approval keys (follow-approve.ts).
 */
import { selectStatus } from '../core/select-status.js';
import { bannerLine } from '../replay/banner.js';
import type { IntegrityWatch } from '../replay/integrity-watch.js';
import { EventReader } from '../replay/reader.js';
import type { ConsoleModel, EventList } from '../ui/model.js';
import type { Approver } from './follow-approve.js';
import { pendingApprovals } from './follow-approvals.js';
import { followLine } from './follow-line.js';
import type { Follower } from './follow-tail.js';

/** What the follower's console shows besides the journal. */
export interface FollowModelOptions {
  journalPath: string;
  color: boolean;
  /** The approval keys: only with --approve. */
  approver?: Approver;
  /** The check of the journal as it was when the follower caught up (chain, head anchor: replay's check). */
  integrity?: IntegrityWatch;
  onQuit(): void;
  /** The real clock; injected so tests can pin it. */
  now?: () => number;
}

/** A read-only model over a followed journal. */
export function followModel(f: Follower, o: FollowModelOptions): ConsoleModel & { follower: Follower } {
  const reader = new EventReader(f.index);
  const now = o.now ?? Date.now;
  let list: EventList | undefined;
  return {
    follower: f,
    readOnly: true,
    getState: () => f.state,
    tails: () => f.index.tails,
    // A new list object whenever events were added: the timeline memoizes on it.
    events: () =>
      list?.length === f.index.count ? list : (list = { length: f.index.count, get: (i) => reader.get(i), story: f.index.story }),
    subscribe: (fn) => f.subscribe(fn),
    frameVersion: () => f.version,
    now,
    connections: () => 0,
    journalPath: o.journalPath,
    statusMark: () => {
      const ended = f.ended ? (selectStatus(f.state, now()).ended ?? 'ended') : undefined;
      return ended ? `■ ENDED: ${ended}` : '◉ FOLLOWING';
    },
    extraStatus: (width) => {
      const pending = pendingApprovals(f.state)[0];
      return followLine(
        {
          ...(f.operator ? { operator: f.operator } : {}),
          ...(f.ended ? { ended: selectStatus(f.state, now()).ended ?? 'ended' } : {}),
          caughtUp: f.caughtUp,
          unread: f.index.unread,
          lastEvent: f.state.t,
          now: now(),
          count: f.index.count,
          ...(pending ? { pending } : {}),
          approving: Boolean(o.approver),
          ...(o.approver?.message ? { message: o.approver.message } : {}),
          ...(f.index.halted ? { halted: f.index.halted } : {}),
        },
        width,
        o.color,
      );
    },
    banner: (width) => {
      // What the follower found line by line first, then what the whole-file check found.
      const problems = [f.index.halted, f.index.chainProblem, ...(o.integrity?.integrity?.problems ?? [])].filter((p) => p !== undefined);
      return bannerLine(
        { path: o.journalPath, problems: f.index.problems, ...(problems.length ? { integrity: { intact: false, problems } } : {}) },
        width,
        o.color,
      );
    },
    extraBindings: () => o.approver?.bindings() ?? [],
    modal: () => o.approver?.modal(),
    onQuit: o.onQuit,
  };
}
