/** What the console shows and acts on: a live session, or a replay (read-only, no intents). */
import type { SessionEvent } from '../core/events.js';
import type { SessionState } from '../core/state.js';
import type { Session } from '../session/session.js';
import type { Binding } from './keys/bindings.js';
import type { Line } from './rows.js';

export interface ConsoleModel {
  /** Replay: dangerous bindings disappear and nothing is executed. */
  readOnly: boolean;
  getState(): SessionState;
  events(): readonly SessionEvent[];
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
  /** Extra global bindings (replay's transport keys). */
  extraBindings?: () => Binding[];
  /** An extra status line under the status bar (replay's progress bar). */
  extraStatus?: (width: number) => Line | undefined;
  /** Asked to quit (after confirmation): the caller ends the session and unmounts. */
  onQuit(): void;
}
