/**
 * The live judge: judges the runbook's judged panels at once and then every `judge.every`
 * (default 30 s), one judgment at a time, and emits each as `judge/verdict` (the trigger
 * evaluator reads them for `judge < marginal`; the story tells only changes of verdict).
 */
import { setMaxListeners } from 'node:events';
import type { DriverContext } from '../drivers/context.js';
import { clientFor } from '../drivers/prometheus/poller.js';
import type { PromClient } from '../drivers/prometheus/client.js';
import type { HttpOptions } from '../drivers/prometheus/http.js';
import { DEFAULT_JUDGE_EVERY_MS } from '../runbook/judge-fields.js';
import type { Runbook } from '../runbook/schema.js';
import { judgedPanels, judgeRunbook } from './judge.js';

/** A running judge. */
export interface JudgeDriver {
  /** Stops judging; resolves once no judgment is in flight. Idempotent. */
  stop(): Promise<void>;
}

/** Starts judging, or returns undefined when the runbook judges nothing. */
export function startJudge(rb: Runbook, ctx: DriverContext, opts: HttpOptions & { client?: PromClient } = {}): JudgeDriver | undefined {
  if (!rb.prometheus || !judgedPanels(rb).length) return undefined;
  const client = opts.client ?? clientFor(rb, opts);
  const every = rb.judge?.every ?? DEFAULT_JUDGE_EVERY_MS;
  const ac = new AbortController();
  setMaxListeners(0, ac.signal);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const tick = async () => {
    const started = ctx.now();
    const j = await judgeRunbook(client, rb, started, ac.signal);
    if (ac.signal.aborted) return;
    ctx.emit({ type: 'judge/verdict', t: ctx.now(), ...j });
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
