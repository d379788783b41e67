/**
 * The panel poller: one loop per panel, each with at most one request in flight. A loop polls at
 * a fixed rate (the next poll is due `interval` after the previous one started, or at once when
 * that one took longer), backs off exponentially on errors (interval, 2x, 4x, ... capped at
 * 60 s), and refreshes the panel's sparkline every `rangeEvery` after a good sample, in the same
 * loop, so a panel never has two requests open. No jitter: scheduling is deterministic.
 */
import { setMaxListeners } from 'node:events';
import type { Panel, Runbook } from '../../runbook/schema.js';
import { DEFAULT_INTERVAL_MS } from '../../core/select-health.js';
import type { DriverContext } from '../context.js';
import { PromClient } from './client.js';
import type { HttpOptions } from './http.js';
import { pollRange } from './range.js';
import { pollPanel } from './sample.js';

/** Longest wait between two attempts while a panel keeps failing. */
export const MAX_BACKOFF_MS = 60_000;
/** Sparklines refresh at most this often, and at least every 6 poll intervals. */
export const MIN_RANGE_EVERY_MS = 30_000;
/** Sparkline width (terminal cells) when the caller does not say. */
export const DEFAULT_SPARK_WIDTH = 40;

/** How the poller runs; everything has a default. */
export interface PollerOptions extends HttpOptions {
  /** The client to use (default: one made from the runbook's prometheus section). */
  client?: PromClient;
  /** Poll only these panel ids (default: every panel). */
  panels?: string[];
  /** Width in cells that sparklines are drawn at; 0 turns range queries off. */
  sparkWidth?: number;
  /** Sparkline refresh period in ms (default: max(30 s, 6 intervals)). */
  rangeEvery?: number;
  /** Cap of the error backoff in ms (default 60 s). */
  maxBackoff?: number;
}

/** A running poller. */
export interface Poller {
  /** Stops every loop and aborts requests in flight; resolves once none is left. Idempotent. */
  stop(): Promise<void>;
}

/** Delay before the next attempt after `failures` consecutive failures (1 = the first). */
export function backoffDelay(intervalMs: number, failures: number, maxMs = MAX_BACKOFF_MS): number {
  return Math.min(intervalMs * 2 ** Math.max(0, failures - 1), maxMs);
}

/** A panel's poll interval: the panel's own, else the runbook's, else 5 s. */
export function panelInterval(runbook: Runbook, panel: Panel): number {
  return panel.interval ?? runbook.prometheus?.interval ?? DEFAULT_INTERVAL_MS;
}

/** The client for a runbook's prometheus section. Throws when the runbook has none. */
export function clientFor(runbook: Runbook, opts: HttpOptions = {}): PromClient {
  if (!runbook.prometheus) throw new Error(`runbook '${runbook.name}' has no prometheus section; add one with its url`);
  return new PromClient(runbook.prometheus, opts);
}

/** Starts polling every panel of the runbook (the first poll of each at once). */
export function startPoller(runbook: Runbook, ctx: DriverContext, opts: PollerOptions = {}): Poller {
  const client = opts.client ?? clientFor(runbook, opts);
  const ac = new AbortController();
  // Every panel's request listens on this one signal (and removes its listener when done).
  setMaxListeners(0, ac.signal);
  const panels = (runbook.health ?? []).filter((p) => !opts.panels || opts.panels.includes(p.id));
  const loops = panels.map((p) => {
    const interval = panelInterval(runbook, p);
    return new PanelLoop(p, {
      client,
      ctx,
      signal: ac.signal,
      interval,
      width: opts.sparkWidth ?? DEFAULT_SPARK_WIDTH,
      rangeEvery: opts.rangeEvery ?? Math.max(MIN_RANGE_EVERY_MS, 6 * interval),
      maxBackoff: opts.maxBackoff ?? MAX_BACKOFF_MS,
    });
  });
  for (const l of loops) l.start();
  return {
    async stop() {
      ac.abort();
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}

interface LoopDeps {
  client: PromClient;
  ctx: DriverContext;
  signal: AbortSignal;
  interval: number;
  width: number;
  rangeEvery: number;
  maxBackoff: number;
}

/** One panel's loop: poll, then schedule the next poll; never two at once. */
class PanelLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failures = 0;
  private rangeDueAt = -Infinity;

  constructor(
    private readonly panel: Panel,
    private readonly d: LoopDeps,
  ) {}

  start(): void {
    this.running = this.tick();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.running;
  }

  private async tick(): Promise<void> {
    const { client, ctx, signal } = this.d;
    const started = ctx.now();
    const ok = await pollPanel(client, this.panel, ctx, signal);
    if (signal.aborted) return;
    if (ok && this.d.width > 0 && ctx.now() >= this.rangeDueAt) {
      // A failed refresh is retried after the next good sample rather than waiting a full period.
      if (await pollRange(client, this.panel, ctx, this.d.width, signal)) this.rangeDueAt = started + this.d.rangeEvery;
      if (signal.aborted) return;
    }
    this.failures = ok ? 0 : this.failures + 1;
    const delay = ok ? Math.max(0, started + this.d.interval - ctx.now()) : backoffDelay(this.d.interval, this.failures, this.d.maxBackoff);
    this.timer = setTimeout(() => {
      this.running = this.tick();
    }, delay);
    // The poller never keeps a process alive by itself; whoever owns it decides when to exit.
    this.timer.unref();
  }
}
