/**
 * The warm way back: from the start of a session, every host of every rollback level is
 * connected (host key verified, authenticated, kept alive by the pool's keepalives), so a
 * confirmed rollback only opens channels. A connection that drops or fails is retried with
 * backoff; each level's readiness is reported when it changes, so the rollback pane can say
 * "ready 3/3" or which host is not and why before anyone needs it.
 */
import type { LevelReadiness } from '../../core/events.js';

/** A live connection, as far as the warmer cares: it says when it closes. */
export interface Warmable {
  once(event: 'close', fn: () => void): unknown;
}

/** The hosts of one rollback level, by the label events use. */
export interface LevelHosts {
  level: string;
  hosts: string[];
}

/** Timing, injectable for tests. */
export interface WarmOptions {
  /** First retry after a failure (doubles per failure, up to `maxBackoffMs`; ±20% jitter). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Changes within this window are reported together. */
  coalesceMs?: number;
  /** The first report waits for every first attempt, but not longer than this. */
  firstReportMs?: number;
  /** Connections opened at once. */
  concurrency?: number;
  /** A connection that held this long resets the backoff when it drops (default 30 s). */
  stableMs?: number;
}

/** How many down hosts a report names per level (the rest are counted). */
export const DOWN_NAMED = 5;

interface HostState {
  ready: boolean;
  error: string;
  failures: number;
  timer?: NodeJS.Timeout;
}

/** Keeps the rollback hosts connected; `report` hears each level's readiness when it changes. */
export class Warmer {
  private readonly hosts = new Map<string, HostState>();
  private readonly queue: string[] = [];
  private inFlight = 0;
  private stopped = false;
  private reported = false;
  private last = '';
  private pending?: NodeJS.Timeout;
  private readonly o: Required<WarmOptions>;

  constructor(
    private readonly levels: LevelHosts[],
    private readonly connect: (host: string) => Promise<Warmable>,
    private readonly report: (levels: LevelReadiness[]) => void,
    o: WarmOptions = {},
  ) {
    this.o = { minBackoffMs: 1000, maxBackoffMs: 30_000, coalesceMs: 250, firstReportMs: 3000, concurrency: 32, stableMs: 30_000, ...o };
  }

  /** Connects every host; the first report comes once each has been tried (or after `firstReportMs`). */
  start(): void {
    for (const l of this.levels)
      for (const h of l.hosts) if (!this.hosts.has(h)) this.hosts.set(h, { ready: false, error: 'connecting', failures: 0 });
    if (!this.hosts.size) return;
    this.pending = setTimeout(() => this.flush(), this.o.firstReportMs);
    for (const h of this.hosts.keys()) this.enqueue(h);
  }

  /** Stops retrying and reporting; the connections themselves belong to the pool, which closes them. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.pending);
    for (const s of this.hosts.values()) clearTimeout(s.timer);
    this.queue.length = 0;
  }

  /** Each level's readiness now. */
  readiness(): LevelReadiness[] {
    return this.levels.map((l) => {
      const down = l.hosts.filter((h) => !this.hosts.get(h)?.ready);
      return {
        level: l.level,
        ready: l.hosts.length - down.length,
        total: l.hosts.length,
        down: down.slice(0, DOWN_NAMED).map((host) => ({ host, error: this.hosts.get(host)?.error ?? 'unknown' })),
      };
    });
  }

  private enqueue(host: string): void {
    this.queue.push(host);
    this.drain();
  }

  private drain(): void {
    while (!this.stopped && this.inFlight < this.o.concurrency && this.queue.length) {
      const host = this.queue.shift()!;
      this.inFlight++;
      void this.attempt(host).finally(() => {
        this.inFlight--;
        this.drain();
      });
    }
  }

  private async attempt(host: string): Promise<void> {
    const s = this.hosts.get(host)!;
    try {
      const client = await this.connect(host);
      if (this.stopped) return;
      s.ready = true;
      s.error = '';
      // The failures count again only once the connection has held a while: a host that accepts and
      // drops at once must back off like one that refuses, not be reconnected every second forever.
      const up = Date.now();
      client.once('close', () => {
        if (this.stopped) return;
        if (Date.now() - up >= this.o.stableMs) s.failures = 0;
        s.failures++;
        s.ready = false;
        s.error = 'connection lost; reconnecting';
        this.changed();
        this.retry(host, s);
      });
    } catch (e) {
      if (this.stopped) return;
      s.ready = false;
      const m = (e as Error).message;
      s.error = m.startsWith(`${host}: `) ? m.slice(host.length + 2) : m;
      s.failures++;
      this.retry(host, s);
    }
    this.changed();
  }

  private retry(host: string, s: HostState): void {
    const base = Math.min(this.o.maxBackoffMs, this.o.minBackoffMs * 2 ** Math.max(0, s.failures - 1));
    const ms = base * (0.8 + Math.random() * 0.4);
    clearTimeout(s.timer);
    s.timer = setTimeout(() => this.enqueue(host), ms);
  }

  private changed(): void {
    if (this.stopped) return;
    if (!this.reported) {
      // The first report waits for every host's first attempt, so it does not say "0/100" for a moment.
      const tried = [...this.hosts.values()].every((s) => s.ready || s.error !== 'connecting');
      if (tried) this.flush();
      return;
    }
    this.pending ??= setTimeout(() => this.flush(), this.o.coalesceMs);
  }

  private flush(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
    if (this.stopped) return;
    this.reported = true;
    const levels = this.readiness();
    const key = JSON.stringify(levels);
    if (key === this.last) return;
    this.last = key;
    this.report(levels);
  }
}
