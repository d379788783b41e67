/** What every driver gets: a way to emit events and a clock. Drivers' only output is events. */
import type { SessionEvent } from '../core/events.js';
import type { SessionState } from '../core/state.js';

/** The sink and the clock a driver runs against (live: the session; tests: a recorder). */
export interface DriverContext {
  /** Publishes one event (journaled and reduced by the session). Stamp `t` with `now()`. */
  emit(e: SessionEvent): void;
  /** Wall-clock ms; injected so tests and the demo can control time. */
  now(): number;
  /** The session's state, for drivers that must know what was decided (triggers re-arm after a rollback). */
  state?(): SessionState;
  /** Hears every event the session journals from now on, with its seq, once folded (the notifier); returns the unsubscribe function. */
  observe?(fn: (e: SessionEvent, seq: number) => void): () => void;
}

/** A context that records events in an array, for tests and one-shot commands. */
export function recordingContext(now: () => number = Date.now): DriverContext & { events: SessionEvent[] } {
  const events: SessionEvent[] = [];
  return { events, emit: (e) => void events.push(e), now };
}
