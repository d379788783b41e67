/**
 * `cutover health --watch`: the live poller (with backoff), Alertmanager and the trigger
 * evaluator running as in the console, and a frame printed every poll interval until stopped.
 */
import type { SessionEvent } from '../../core/events.js';
import { reduce } from '../../core/reduce.js';
import { DEFAULT_INTERVAL_MS } from '../../core/select-health.js';
import { selectTriggers } from '../../core/select-triggers.js';
import { initialState } from '../../core/state.js';
import type { DriverContext } from '../../drivers/context.js';
import { DEFAULT_TIMEOUT_MS, startAlertsPoller, startPoller } from '../../drivers/prometheus/index.js';
import { withTriggers } from '../../drivers/triggers.js';
import type { Runbook } from '../../runbook/schema.js';
import { reportOf } from './collect.js';
import { verdict, type HealthReport } from './render.js';

/** What a watch needs: where to print, how, and the signal that ends it. */
export interface WatchOptions {
  runbook: Runbook;
  file: string;
  start: SessionEvent;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Prints one frame; `first` tells whether a previous one is on screen. */
  print(report: HealthReport, first: boolean): void;
}

/** Runs until `signal` aborts; returns the exit code of the last frame (3 if none was printed). */
export async function watch(o: WatchOptions): Promise<number> {
  let state = reduce(initialState(), o.start);
  const sink: DriverContext = { now: () => Date.now(), emit: (e) => void (state = reduce(state, e)) };
  const ctx = withTriggers(sink, o.runbook);
  const poller = startPoller(o.runbook, ctx, { env: o.env, sparkWidth: 0 });
  const alerts = startAlertsPoller(o.runbook, ctx, { env: o.env });
  const interval = o.runbook.prometheus?.interval ?? DEFAULT_INTERVAL_MS;
  const panels = o.runbook.health ?? [];
  let code = 3;
  try {
    // The first frame waits for every panel's first answer (or its timeout), not a fixed delay.
    const firstBy = Date.now() + (o.runbook.prometheus?.timeout ?? DEFAULT_TIMEOUT_MS) + 500;
    while (!o.signal.aborted && Date.now() < firstBy && !panels.every((p) => state.panels[p.id])) await sleep(50, o.signal);
    for (let first = true; !o.signal.aborted; first = false) {
      const now = Date.now();
      const rec = state.rollback.recommended;
      const report: HealthReport = {
        ...reportOf(state, o.runbook, o.file, now),
        triggers: selectTriggers(state).filter((t) => t.state !== 'inactive'),
        ...(rec ? { recommended: { level: rec.level, reason: rec.reason } } : {}),
      };
      o.print(report, first);
      code = verdict(report.rows).code;
      await sleep(interval, o.signal);
    }
  } finally {
    await Promise.all([poller.stop(), alerts?.stop()]);
  }
  return code;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
