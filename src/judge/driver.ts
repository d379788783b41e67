/**
 * The live judge: judges the runbook's judged panels at once and then every `judge.every`
 * (default 30 s), one judgment at a time. A judgment is journaled (`judge/verdict`) when it says
 * something new: its verdict, its score or a metric's class changed (the figures of a judgment
 * that changes nothing stay in the last one journaled). Every judgment, journaled or not, goes to
 * `evaluate`, so a trigger on the score (`judge < marginal` with `for`) counts each one.
 */
import { setMaxListeners } from 'node:events';
import type { JudgeVerdict } from '../core/events.js';
import type { DriverContext } from '../drivers/context.js';
import type { PromClient } from '../drivers/prometheus/client.js';
import type { HttpOptions } from '../drivers/prometheus/http.js';
import { clientFor } from '../drivers/prometheus/poller.js';
import { DEFAULT_JUDGE_EVERY_MS } from '../runbook/judge-fields.js';
import type { Runbook } from '../runbook/schema.js';
import { type Judgment, judgedPanels, judgeRunbook } from './judge.js';

/** A running judge. */
export interface JudgeDriver {
  /** Stops judging; resolves once no judgment is in flight. Idempotent. */
  stop(): Promise<void>;
}

/** How the judge runs. */
export interface JudgeOptions extends HttpOptions {
  client?: PromClient;
  /** Every judgment as an event, journaled or not (the trigger evaluator). */
  evaluate?: (e: JudgeVerdict) => void;
}

/** What makes a judgment worth journaling: its verdict, its score, and each metric's class. */
export function judgmentKey(j: Judgment): string {
  return JSON.stringify([j.verdict, j.score, j.forced ?? '', j.metrics.map((m) => [m.panel, m.class, m.error !== undefined])]);
}

/** Starts judging, or returns undefined when the runbook judges nothing. */
export function startJudge(rb: Runbook, ctx: DriverContext, opts: JudgeOptions = {}): JudgeDriver | undefined {
  if (!rb.prometheus || !judgedPanels(rb).length) return undefined;
  const client = opts.client ?? clientFor(rb, opts);
  const every = rb.judge?.every ?? DEFAULT_JUDGE_EVERY_MS;
  const ac = new AbortController();
  setMaxListeners(0, ac.signal);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let last: string | undefined;
  const tick = async () => {
    const started = ctx.now();
    try {
      const j = await judgeRunbook(client, rb, started, ac.signal);
      if (ac.signal.aborted) return;
      const e: JudgeVerdict = { type: 'judge/verdict', t: ctx.now(), ...j };
      const key = judgmentKey(j);
      if (key !== last) ctx.emit(e);
      last = key;
      opts.evaluate?.(e);
    } catch {
      // A judgment that throws is skipped, never the judging: the next one comes on time.
      if (ac.signal.aborted) return;
    }
    timer = setTimeout(
      () => {
        running = tick();
      },
      Math.max(0, started + every - ctx.now()),
    );
    timer.unref();
  };
  running = tick();
  return {
    async stop() {
      ac.abort();
      clearTimeout(timer);
      await running;
    },
  };
}
