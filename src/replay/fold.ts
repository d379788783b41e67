/**
 * Folds many events fast, with the real reducer, and feeds the output tails buffer the same
 * events (output-tails.ts: tails live outside the state). Two kinds of event need not rebuild the
 * whole state each time, which a replay of a million events would feel:
 * - output chunks only move the state's `t` and `count` (the text goes to the tails buffer);
 * - metric events touch one panel: they are reduced against a state holding just that panel,
 *   and the result is kept aside;
 * any other event first writes all that back, then is reduced against the whole state.
 * The state deep-equals `reduceAll` over the same events, and the tails equal an OutputTails fed
 * them one by one (test/replay/fold.test.ts checks both).
 */
import type { SessionEvent } from '../core/events.js';
import type { OutputTails } from '../core/output-tails.js';
import { reduce } from '../core/reduce.js';
import type { PanelState, SessionState } from '../core/state.js';

/** A fold in progress: add events, read the state when needed (reading it is cheap when nothing is kept aside). */
export class Folder {
  private base: SessionState;
  private t: number;
  private count: number;
  private readonly panels = new Map<string, PanelState>();
  private mini: SessionState | undefined;

  /** `tails`, when given, is fed every event (and changed in place); the report folds without one. */
  constructor(
    from: SessionState,
    readonly tails?: OutputTails,
  ) {
    this.base = from;
    this.t = from.t;
    this.count = from.count;
  }

  /** Folds one event; throws what `reduce` throws, leaving the fold as it was. */
  add(e: SessionEvent): void {
    switch (e.type) {
      case 'command/output':
        // What reduce does to an output event: t and count, nothing else.
        this.t = Math.max(this.t, e.t);
        this.count++;
        break;
      case 'metric/sampled':
      case 'metric/failed':
      case 'metric/range':
        this.panel(e, e.panel);
        break;
      default: {
        this.base = reduce(this.state(), e);
        this.t = this.base.t;
        this.count = this.base.count;
      }
    }
    this.tails?.add(e);
  }

  /** The state after every event added so far. */
  state(): SessionState {
    const s = this.peek();
    this.panels.clear();
    this.base = s;
    return s;
  }

  /** The same state, without folding it in: the panels kept aside stay aside. */
  peek(): SessionState {
    if (!this.panels.size && this.base.t === this.t && this.base.count === this.count) return this.base;
    const s: SessionState = { ...this.base, t: this.t, count: this.count };
    if (this.panels.size) s.panels = { ...s.panels, ...Object.fromEntries(this.panels) };
    return s;
  }

  private panel(e: SessionEvent, id: string): void {
    const prev = this.panels.get(id) ?? this.base.panels[id];
    // The reducer sees the one panel this event can touch; t and count are carried through. The
    // scratch state is reused (the reducer never mutates its input, and only the panel is read back).
    const mini = this.scratch();
    mini.t = this.t;
    mini.count = this.count;
    mini.panels = prev ? { [id]: prev } : EMPTY;
    const r = reduce(mini, e);
    const next = r.panels[id];
    if (next !== undefined && next !== prev) this.panels.set(id, next);
    this.t = r.t;
    this.count = r.count;
  }

  private scratch(): SessionState {
    if (!this.mini || this.mini.session !== this.base.session) this.mini = { ...this.base };
    return this.mini;
  }
}

const EMPTY = Object.freeze({}) as Record<string, never>;

/** Folds `events` from `from`: the same state `reduceAll(events, from)` gives, faster (and feeds `tails`, when given). */
export function foldAll(events: readonly SessionEvent[], from: SessionState, tails?: OutputTails): SessionState {
  const f = new Folder(from, tails);
  for (const e of events) f.add(e);
  return f.state();
}
