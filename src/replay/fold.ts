/**
 * Folds many events fast, with the real reducer. `reduce` copies the whole `commands` record for
 * every output chunk (O(commands) per event: 10 µs at 200 commands, 90 µs at 600), and the
 * command's tail with it, which a replay of a million events cannot afford. So:
 * - metric events touch one panel: they are reduced against a state holding just that panel,
 *   and the result is kept aside;
 * - output chunks of one command are kept as text and reduced once, joined, when the state is
 *   read (a command's tail, line and byte counts come out the same for the joined text);
 * - any other event first writes all that back, then is reduced against the whole state.
 * The result deep-equals `reduceAll` over the same events (test/replay/fold.test.ts checks it).
 */
import type { SessionEvent } from '../core/events.js';
import { reduce } from '../core/reduce.js';
import { OUTPUT_TAIL_LINES, type CommandState, type PanelState, type SessionState } from '../core/state.js';

/** A fold in progress: add events, read the state when needed (reading it is cheap when nothing is kept aside). */
export class Folder {
  private base: SessionState;
  private t: number;
  private count: number;
  private readonly cmds = new Map<string, CommandState>();
  private readonly panels = new Map<string, PanelState>();
  private readonly output = new Map<string, string[]>();
  private held = 0;
  private mini: SessionState | undefined;

  constructor(from: SessionState) {
    this.base = from;
    this.t = from.t;
    this.count = from.count;
  }

  /** Folds one event; throws what `reduce` throws, leaving the fold as it was. */
  add(e: SessionEvent): void {
    switch (e.type) {
      case 'command/output': {
        const texts = this.output.get(e.cmd);
        if (texts) texts.push(e.text);
        else this.output.set(e.cmd, [e.text]);
        // What reduce does to every event's t and count.
        this.t = Math.max(this.t, e.t);
        this.count++;
        // Held text that outlives a couple of young-generation collections is promoted, and old
        // garbage is what makes the heap (and the RSS) grow: fold it in before that happens.
        if (++this.held >= HOLD) this.flushOutput();
        return;
      }
      case 'metric/sampled':
      case 'metric/failed':
      case 'metric/range':
        return this.one(e, 'panels', this.panels, e.panel);
      default: {
        this.base = reduce(this.state(), e);
        this.t = this.base.t;
        this.count = this.base.count;
      }
    }
  }

  /** The state after every event added so far. */
  state(): SessionState {
    const s = this.peek();
    this.cmds.clear();
    this.panels.clear();
    this.base = s;
    return s;
  }

  /**
   * The same state, without folding it in: the entries kept aside stay aside. A snapshot taken
   * this way does not pin the current output tails in the fold's base until the next snapshot
   * (long-lived garbage is promoted, and promoted garbage is what grows the heap).
   */
  peek(): SessionState {
    this.flushOutput();
    if (!this.cmds.size && !this.panels.size && this.base.t === this.t && this.base.count === this.count) return this.base;
    const s: SessionState = { ...this.base, t: this.t, count: this.count };
    if (this.cmds.size) s.commands = { ...s.commands, ...Object.fromEntries(this.cmds) };
    if (this.panels.size) s.panels = { ...s.panels, ...Object.fromEntries(this.panels) };
    return s;
  }

  private one<K extends 'commands' | 'panels'>(e: SessionEvent, field: K, aside: Map<string, SessionState[K][string]>, id: string): void {
    const prev = aside.get(id) ?? this.base[field][id];
    // The reducer sees the one entry this event can touch; t and count are carried through. The
    // scratch state is reused (the reducer never mutates its input, and only the entry is read back).
    const mini = this.scratch();
    mini.t = this.t;
    mini.count = this.count;
    mini.commands = field === 'commands' && prev ? { [id]: prev as CommandState } : EMPTY;
    mini.panels = field === 'panels' && prev ? { [id]: prev as PanelState } : EMPTY;
    const r = reduce(mini, e);
    const next = r[field][id] as SessionState[K][string] | undefined;
    if (next !== undefined && next !== prev) aside.set(id, next);
    this.t = r.t;
    this.count = r.count;
  }

  /** Reduces each command's pending output as one chunk. */
  private flushOutput(): void {
    if (!this.output.size) return;
    const [t, count] = [this.t, this.count];
    for (const [cmd, texts] of this.output) {
      // The tail's lines are slices of the text they came from, and keep all of it alive: fold
      // the older chunks apart from the last ones that fill the tail, so snapshots hold no more.
      const k = tailStart(texts);
      for (const part of k > 0 ? [texts.slice(0, k), texts.slice(k)] : [texts])
        this.one({ type: 'command/output', t, cmd, host: '', stream: 'stdout', text: part.length === 1 ? part[0] : part.join('') }, 'commands', this.cmds, cmd);
    }
    this.output.clear();
    this.held = 0;
    [this.t, this.count] = [t, count];
  }

  private scratch(): SessionState {
    if (!this.mini || this.mini.session !== this.base.session) this.mini = { ...this.base };
    return this.mini;
  }
}

const EMPTY = Object.freeze({}) as Record<string, never>;
/** Output chunks held before they are folded in. */
const HOLD = 2048;

/** The first of the last chunks that hold more lines than a tail keeps (0 when all of them are needed). */
function tailStart(texts: string[]): number {
  let lines = 0;
  for (let i = texts.length - 1; i > 0; i--) {
    for (let at = texts[i].indexOf('\n'); at !== -1; at = texts[i].indexOf('\n', at + 1)) lines++;
    if (lines > OUTPUT_TAIL_LINES) return i;
  }
  return 0;
}

/** Folds `events` from `from`: the same state `reduceAll(events, from)` gives, faster. */
export function foldAll(events: readonly SessionEvent[], from: SessionState): SessionState {
  const f = new Folder(from);
  for (const e of events) f.add(e);
  return f.state();
}
