/**
 * The session's event pipeline: every event is checked (development mode), journaled in call
 * order, then folded into state in that same order. A decision waits for its fsync before it is
 * folded, and everything after it waits too, so the state never runs ahead of the journal and a
 * replay of the journal gives the same states in the same order. Folding an event feeds three
 * things: the state (`reduce`), the commands' output tails (OutputTails, kept outside the state so
 * an output event costs the same at any number of commands), and the event log (recent events in
 * memory, older ones read back from the journal).
 *
 * While the journal cannot write, nothing waits for it: events are folded at once and held by the
 * journal for retry (and a fallback file), `notRecording` says why, and the session refuses forward
 * actions while a way back (rollback, abort, quit) still runs. `session/ended` is the last event:
 * anything emitted after it is dropped.
 */
import { assertPlainJson, DEV } from '../core/plain.js';
import { reduce } from '../core/reduce.js';
import { initialState, type SessionState } from '../core/state.js';
import type { SessionEvent } from '../core/events.js';
import { OutputTails } from '../core/output-tails.js';
import { isDecision } from '../journal/event.js';
import type { JournalWriter, Written } from '../journal/writer.js';
import { EventLog, RECENT_EVENTS } from './event-log.js';

/** Called after events were folded; at most once per `publishMs`. */
export type Listener = () => void;
/**
 * Hears each event as it is folded (a decision: once it is on disk), with its seq in the journal;
 * `seq` is undefined for the events loaded on resume (already told before the restart).
 */
export type Tap = (e: SessionEvent, seq?: number) => void;

/** Holds state, output tails and the event log, appends to the journal, notifies listeners (throttled). */
export class EventStore {
  private state: SessionState = initialState();
  private readonly tails = new OutputTails();
  private readonly log: EventLog;
  private readonly listeners = new Set<Listener>();
  private readonly taps = new Set<Tap>();
  private chain: Promise<void> = Promise.resolve();
  private publishTimer: NodeJS.Timeout | undefined;
  private lastPublish = 0;
  /** Why the journal cannot write now (shown as NOT RECORDING), or undefined while it records. */
  notRecording: string | undefined;
  /** Events emitted so far, those loaded on resume included: the journal's seq of the last one. */
  private emitted = 0;
  private ended = false;
  private readonly failing = new Set<() => void>();

  constructor(
    private readonly journal: JournalWriter<SessionEvent> | undefined,
    private readonly publishMs = 50,
    private readonly onJournalStatus: (failure: Error | undefined) => void = () => {},
    /** Events kept in memory behind the newest (tests make it small to read older ones back from the journal). */
    recentEvents = RECENT_EVENTS,
  ) {
    this.log = new EventLog(journal?.path, recentEvents);
  }

  /** The sequence number the next emitted event gets in the journal. */
  nextSeq(): number {
    return (this.journal?.lastSeq ?? this.emitted) + 1;
  }

  /** The journal's writer calls this on each change between writing and failing. */
  journalStatus(failure: Error | undefined): void {
    const reason = failure ? reasonOf(failure) : undefined;
    if (reason === this.notRecording) return;
    this.notRecording = reason;
    if (failure) for (const wake of this.failing) wake();
    this.onJournalStatus(failure);
    this.publishNow();
  }

  /** The current state. */
  getState(): SessionState {
    return this.state;
  }

  /** Every event folded so far, in order (the timeline reads this): recent ones from memory, older ones from the journal. */
  events(): EventLog {
    return this.log;
  }

  /** The commands' output tails (read them; only the store feeds them). */
  outputTails(): OutputTails {
    return this.tails;
  }

  /** Registers a listener; returns the unsubscribe function. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Hears every event as it is folded (the console's metrics count some, the notifier queues some); returns the unsubscribe function. Runs per event: keep it cheap. */
  tap(fn: Tap): () => void {
    this.taps.add(fn);
    return () => this.taps.delete(fn);
  }

  /**
   * Emits an event. Resolves once it is folded into state; for a decision, only after the journal
   * has it on disk. Rejects (and folds nothing more) when the journal cannot record a decision.
   */
  emit(e: SessionEvent): Promise<void> {
    if (this.ended) return Promise.reject(new Error(`the session has ended; ${e.type} not recorded`));
    if (e.type === 'session/ended') this.ended = true;
    // The one development check that events are plain JSON: every event passes here before the journal.
    if (DEV) assertPlainJson(e);
    const seq = this.nextSeq();
    const appended = this.journal?.append(e);
    this.emitted++;
    // A line the journal never writes is kept by it for the fallback file; the failure shows as NOT RECORDING.
    appended?.catch(() => {});
    const decision = appended && isDecision(e.type);
    this.chain = this.chain.then(async () => {
      if (decision) await this.durableOrFailing(appended);
      this.fold(e, appended, seq);
      this.schedulePublish();
    });
    return this.chain;
  }

  /** Waits for a decision's fsync, unless the journal is failing: then the decision holds in memory and goes on. */
  private durableOrFailing(appended: Promise<unknown>): Promise<void> {
    if (this.notRecording !== undefined) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = () => {
        this.failing.delete(wake);
        resolve();
      };
      this.failing.add(wake);
      appended.then(wake, wake);
    });
  }

  /** Resolves when every event emitted so far is folded. */
  settled(): Promise<void> {
    return this.chain;
  }

  /** Folds events without journaling them (resume: they are the journal's lines, so older ones can leave memory). */
  load(events: readonly SessionEvent[]): void {
    for (const e of events) this.fold(e);
    this.log.onDiskAlready();
    this.emitted += events.length;
    this.publishNow();
  }

  /** Folds one event into the state, the tails and the log; the log learns where the journal put it once it is written. */
  private fold(e: SessionEvent, appended?: Promise<Written>, seq?: number): void {
    this.state = reduce(this.state, e);
    this.tails.add(e);
    const i = this.log.push(e);
    for (const fn of this.taps)
      try {
        fn(e, seq);
      } catch {
        // A listener's bug (the metrics, the notifier) never stops the fold.
      }
    appended?.then(
      (w) => this.log.wrote(i, w),
      () => {},
    );
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
}

/** The reason shown in the status bar: the system's words and the error code ("no space left on device (ENOSPC)"). */
function reasonOf(failure: Error): string {
  const cause = (failure.cause ?? failure) as NodeJS.ErrnoException;
  const text = cause.message.replace(/^[A-Z]+: /, '').replace(/, \w+(?: '.*')?$/, '');
  return cause.code ? `${text} (${cause.code})` : text;
}
