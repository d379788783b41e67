/**
 * The session's event pipeline: every event is checked (development mode), journaled in call
 * order, then folded into state in that same order. A decision waits for its fsync before it is
 * folded, and everything after it waits too, so the state never runs ahead of the journal and a
 * replay of the journal gives the same states in the same order.
 */
import { assertPlainJson, DEV } from '../core/plain.js';
import { reduce } from '../core/reduce.js';
import { initialState, type SessionState } from '../core/state.js';
import type { SessionEvent } from '../core/events.js';
import { isDecision } from '../journal/event.js';
import type { JournalWriter } from '../journal/writer.js';

/** Called after events were folded; at most once per `publishMs`. */
export type Listener = () => void;

/** Holds state and the event list, appends to the journal, notifies listeners (throttled). */
export class EventStore {
  private state: SessionState = initialState();
  private readonly log: SessionEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private chain: Promise<void> = Promise.resolve();
  private publishTimer: NodeJS.Timeout | undefined;
  private lastPublish = 0;
  /** The first journal failure; the console shows it, and decisions refuse to proceed after it. */
  journalError: Error | undefined;

  constructor(
    private readonly journal: JournalWriter<SessionEvent> | undefined,
    private readonly publishMs = 50,
    private readonly onJournalError: (e: Error) => void = () => {},
  ) {}

  /** The current state. */
  getState(): SessionState {
    return this.state;
  }

  /** Every event folded so far, in order (the timeline reads this). */
  events(): readonly SessionEvent[] {
    return this.log;
  }

  /** Registers a listener; returns the unsubscribe function. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Emits an event. Resolves once it is folded into state; for a decision, only after the journal
   * has it on disk. Rejects (and folds nothing more) when the journal cannot record a decision.
   */
  emit(e: SessionEvent): Promise<void> {
    // The one development check that events are plain JSON: every event passes here before the journal.
    if (DEV) assertPlainJson(e);
    const appended = this.journal?.append(e);
    // The journal's own list: the store waits exactly for the appends the journal fsyncs.
    const decision = isDecision(e.type);
    if (appended && !decision) appended.catch((err: Error) => this.fail(err));
    this.chain = this.chain.then(async () => {
      if (appended && decision) {
        try {
          await appended;
        } catch (err) {
          this.fail(err as Error);
          throw err;
        }
      }
      this.state = reduce(this.state, e);
      this.log.push(e);
      this.schedulePublish();
    });
    const done = this.chain;
    this.chain = this.chain.catch(() => {});
    return done;
  }

  /** Resolves when every event emitted so far is folded. */
  settled(): Promise<void> {
    return this.chain;
  }

  /** Folds events without journaling them (resume and replay: they are already in the journal). */
  load(events: readonly SessionEvent[]): void {
    for (const e of events) {
      this.state = reduce(this.state, e);
      this.log.push(e);
    }
    this.publishNow();
  }

  /** Notifies listeners at once (used on exit and in tests). */
  publishNow(): void {
    clearTimeout(this.publishTimer);
    this.publishTimer = undefined;
    this.lastPublish = Date.now();
    for (const fn of this.listeners) fn();
  }

  private schedulePublish(): void {
    if (this.publishTimer) return;
    const wait = Math.max(0, this.lastPublish + this.publishMs - Date.now());
    this.publishTimer = setTimeout(() => this.publishNow(), wait);
  }

  private fail(err: Error): void {
    if (this.journalError) return;
    this.journalError = err;
    this.onJournalError(err);
  }
}
