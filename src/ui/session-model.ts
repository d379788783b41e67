/** The console model of a live session (the TTY console, the demo, and tests use the same one). */
import type { Session } from '../session/session.js';
import type { ConsoleHint, ConsoleModel } from './model.js';

export interface SessionModelOptions {
  journalPath?: string;
  metricsSource?: string;
  hint?: ConsoleHint;
  onQuit(): void;
}

/** A read-write model over a live session. */
export function sessionModel(session: Session, o: SessionModelOptions): ConsoleModel {
  // One list object for the session's life: the timeline memoizes on it.
  const events = session.store.events();
  const tails = session.store.outputTails();
  return {
    readOnly: false,
    session,
    getState: () => session.state,
    events: () => events,
    tails: () => tails,
    subscribe: (fn) => session.store.subscribe(fn),
    now: () => session.now(),
    connections: () => session.connections(),
    ...(o.journalPath ? { journalPath: o.journalPath } : {}),
    ...(o.metricsSource ? { metricsSource: o.metricsSource } : {}),
    ...(o.hint ? { hint: o.hint } : {}),
    onQuit: o.onQuit,
  };
}
