/**
 * Keeps a FollowIndex up with its file: fs.watch on the journal wakes it as soon as the console
 * writes, and a short poll wakes it anyway (fs.watch can miss events, and on some filesystems
 * never fires). Reading goes in time slices that yield to the event loop, so a journal that grows
 * by MBs at once never freezes the screen; listeners are told at most once per `publishMs`, and at
 * once when a read ends (the latency budget: on screen within 1 s of being journaled).
 */
import fs from 'node:fs';
import type { SessionState } from '../core/state.js';
import type { FollowIndex } from './follow-index.js';

/** How often the file is looked at when fs.watch says nothing. */
export const POLL_MS = 250;

/** Backlog above which the screen is redrawn less often, and how often then. */
const BACKLOG_BYTES = 1 << 20;
const CATCH_UP_MS = 250;

/** Timing, for tests and benchmarks. */
export interface FollowerOptions {
  pollMs?: number;
  /** Longest stretch of reading between two turns of the event loop. */
  sliceMs?: number;
  /** Shortest time between two notifications of the listeners while reading. */
  publishMs?: number;
  /** Use fs.watch (default true; tests turn it off to show the poll alone keeps up). */
  watch?: boolean;
}

/** A journal followed as the console appends to it. */
export class Follower {
  /** Bumped whenever something visible changed. */
  version = 0;
  /** Who operates the session: session/started's operator, or the latest session/resumed's. */
  operator: string | undefined;
  /** Whether everything the file held at the last look has been read. */
  caughtUp = false;
  /** Settles the first time everything the file held has been read (the integrity check waits for it). */
  readonly firstCatchUp: Promise<void>;
  private caughtUpOnce: () => void = () => {};
  private readonly listeners = new Set<() => void>();
  private watcher: fs.FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private publishTimer: NodeJS.Timeout | undefined;
  private lastPublish = 0;
  private reading = false;
  private again = false;
  private stopped = false;
  private toldHalt = false;
  private readonly pollMs: number;
  private readonly sliceMs: number;
  private readonly publishMs: number;
  private readonly watch: boolean;

  constructor(
    readonly index: FollowIndex,
    o: FollowerOptions = {},
  ) {
    this.firstCatchUp = new Promise((resolve) => {
      this.caughtUpOnce = resolve;
    });
    this.pollMs = o.pollMs ?? POLL_MS;
    this.sliceMs = o.sliceMs ?? 12;
    this.publishMs = o.publishMs ?? 50;
    this.watch = o.watch ?? true;
    // The first event was read to open the journal (follow-open.ts), before this hook was set.
    this.operator = index.state.session?.operator;
    index.onEvent = (e) => {
      if (e.type === 'session/started' || e.type === 'session/resumed') this.operator = e.operator;
    };
  }

  /** The session as far as it has been read. */
  get state(): SessionState {
    return this.index.state;
  }

  /** Whether the session has ended (a later session/resumed opens it again). */
  get ended(): boolean {
    return this.state.session?.endedAt !== undefined;
  }

  /** Registers a listener; returns the unsubscribe function. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Tells listeners now (the model's own changes: a prompt opened, an answer arrived). */
  changed(): void {
    if (this.caughtUp) this.caughtUpOnce();
    clearTimeout(this.publishTimer);
    this.publishTimer = undefined;
    this.lastPublish = performance.now();
    this.version++;
    for (const fn of this.listeners) fn();
  }

  /** Starts watching and polling, and reads what is there. */
  start(): void {
    try {
      if (this.watch) this.watcher = fs.watch(this.index.path, { persistent: false }, () => this.wake());
      // A watcher that fails later (the file removed) leaves the poll to do the work.
      this.watcher?.on('error', () => this.watcher?.close());
    } catch {
      // No inotify watch left (ENOSPC), or a filesystem without: the poll alone keeps up.
    }
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.wake();
  }

  /** Stops watching and polling (the file stays open: the timeline may still read events back). */
  stop(): void {
    this.stopped = true;
    this.watcher?.close();
    clearInterval(this.timer);
    clearTimeout(this.publishTimer);
  }

  /** Something may have been written: read it (once more after the current read, if one runs). */
  wake(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    void this.read().finally(() => {
      this.reading = false;
    });
  }

  private async read(): Promise<void> {
    do {
      this.again = false;
      try {
        if (!this.index.look()) {
          // Nothing new. Said once: caught up (the first look), or stopped (the file was cut).
          if (!this.caughtUp || (this.index.halted && !this.toldHalt)) {
            this.caughtUp = true;
            this.toldHalt = this.index.halted !== undefined;
            this.changed();
          }
          continue;
        }
        this.caughtUp = false;
        while (!this.stopped && !this.index.step(this.sliceMs)) {
          this.publishSoon();
          await new Promise((r) => setImmediate(r));
        }
      } catch (e) {
        // The descriptor still reads a removed file; an I/O error is not retried (the screen says so).
        this.index.halted ??= `${this.index.path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); follow it again`;
      }
      this.caughtUp = true;
      this.changed();
    } while (this.again && !this.stopped);
  }

  /**
   * Tells listeners at most once per `publishMs` while a long read goes on; while MBs of backlog
   * remain (opening a night-long journal), every CATCH_UP_MS: each frame costs a render that
   * catching up needs more (1M events on a terminal: 19 s to catch up at 50 ms, 11 s at 250 ms).
   */
  private publishSoon(): void {
    if (this.publishTimer) return;
    const every = this.index.unread > BACKLOG_BYTES ? Math.max(this.publishMs, CATCH_UP_MS) : this.publishMs;
    const wait = Math.max(0, this.lastPublish + every - performance.now());
    this.publishTimer = setTimeout(() => this.changed(), wait);
  }
}
