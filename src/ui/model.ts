/** What the console shows and acts on: a live session, or a replay (read-only, no intents). */
import type { SessionEvent } from '../core/events.js';
import type { TailsView } from '../core/output-tails.js';
import type { StoryList } from '../core/story.js';
import type { SessionState } from '../core/state.js';
import type { Session } from '../session/session.js';
import type { Binding } from './keys/bindings.js';
import type { Line } from './rows.js';
import type { OverlayView } from './components/Overlay.js';

/** A session's events in order, read by index: the live session's log (older events read back from its journal), or a lazy view of a journal file in replay. */
export interface EventList {
  /** How many events there are (in replay: up to the current position). */
  readonly length: number;
  /** Event `i`, 0 <= i < length. */
  get(i: number): SessionEvent;
  /** The story of these events (core/story.ts): the timeline's default view, built as the events came. */
  readonly story: StoryList;
}

/** A note shown over the console when it opens (the demo's first-run keys), until a key closes it. */
export interface ConsoleHint {
  title: string;
  lines: string[];
  /** Called once, when a key closed it. */
  dismissed(): void;
}

/** A prompt the model owns (the follower's approval): drawn over the panes, it gets every key while open. */
export interface ModelModal {
  view: OverlayView;
  key(k: string, raw: string): void;
}

/** Everything the console reads and calls: one interface for live sessions and replays. */
export interface ConsoleModel {
  /** Replay: dangerous bindings disappear and nothing is executed. */
  readOnly: boolean;
  getState(): SessionState;
  /** The events folded so far (the timeline reads them). */
  events(): EventList;
  /** The commands' output tails as of the state (they live outside it: see output-tails.ts). */
  tails(): TailsView;
  /** Notified at most once per frame. */
  subscribe(fn: () => void): () => void;
  /** Now, on the model's clock (virtual in replay). */
  now(): number;
  /** The live session's intents; absent in replay. */
  session?: Session;
  journalPath?: string;
  connections(): number;
  /** "prometheus" or "simulated" (the demo without a prometheus binary). */
  metricsSource?: string;
  /** Changes whenever the screen must be redrawn without a new state (replay's clock and progress bar). */
  frameVersion?: () => number;
  /** Extra global bindings (replay's transport keys); their keys take precedence over the pane focus digits. */
  extraBindings?: () => Binding[];
  /** An extra status line under the status bar (replay's progress bar). */
  extraStatus?: (width: number) => Line | undefined;
  /** A warning line right under the status bar, when there is one (replay: a journal that is not intact, lines not taken as fact). */
  banner?: (width: number) => Line | undefined;
  /** The status bar's mode mark instead of REPLAY (the follower: FOLLOWING, ENDED). */
  statusMark?: () => string;
  /** The model's own prompt, when one is open (see ModelModal). */
  modal?: () => ModelModal | undefined;
  /** Shown over the panes when the console opens, until any key closes it. */
  hint?: ConsoleHint;
  /** Asked to quit (after confirmation): the caller ends the session and unmounts. */
  onQuit(): void;
}
