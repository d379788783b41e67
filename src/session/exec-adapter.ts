/** The session's executors on the real exec driver (SSH fan-out and execa). ssh2 loads on first use. */
import type { DriverContext } from '../drivers/context.js';
import type { ExecDriver, ExecOptions, FanoutResult, HostResult } from '../drivers/exec/executor.js';
import type { Runbook } from '../runbook/schema.js';
import type { ExecOutcome, Executors } from './executors.js';

/** Executors that create the exec driver on first use, bound to the session's context. */
export function execDriverExecutors(
  runbook: Runbook,
  opts: Omit<ExecOptions, 'ctx' | 'runbook'> = {},
): Executors & { driver(): ExecDriver | undefined } {
  let driver: ExecDriver | undefined;
  let loading: Promise<ExecDriver> | undefined;
  const get = (ctx: DriverContext) =>
    (loading ??= import('../drivers/exec/executor.js').then((m) => (driver = new m.ExecDriver({ ...opts, ctx, runbook }))));
  return {
    driver: () => driver,
    async remote(req) {
      const d = await get(req.ctx);
      const { on: _on, ...run } = req.run;
      return summarize(
        await d.runRemote({
          step: req.step,
          hosts: req.hosts,
          signal: req.signal,
          ...run,
          ...(req.level ? { level: req.level } : {}),
          ...(req.id ? { id: req.id } : {}),
        }),
      );
    },
    async local(req) {
      const d = await get(req.ctx);
      const r = await d.runLocal({
        step: req.step,
        signal: req.signal,
        ...req.local,
        ...(req.level ? { level: req.level } : {}),
        ...(req.id ? { id: req.id } : {}),
      });
      return summarize({ ok: r.status === 'ok', results: [r], tripped: false, cancelled: req.signal.aborted });
    },
    warm(ctx, levels) {
      let stop: (() => void) | undefined;
      let stopped = false;
      void get(ctx).then((d) => {
        if (!stopped) stop = d.warm(levels);
      });
      return () => {
        stopped = true;
        stop?.();
      };
    },
    connections: () => driver?.connections ?? 0,
    close: async () => {
      await driver?.closeAll();
    },
  };
}

/** One line for the step: "4/4 hosts ok", or what went wrong on which hosts. */
export function summarize(r: FanoutResult): ExecOutcome {
  const n = r.results.length;
  const ok = r.results.filter((h) => h.status === 'ok').length;
  if (r.ok) return { ok: true, summary: n === 1 && r.results[0].host === 'local' ? 'exit 0' : `${ok}/${n} hosts ok` };
  const bad = r.results.filter((h) => h.status === 'failed' || h.status === 'error');
  if (n === 1 && r.results[0].host === 'local') return { ok: false, summary: describe(r.results[0]).replace(/^local: /, '') };
  const skipped = r.results.filter((h) => h.status === 'skipped').length;
  const parts = bad.slice(0, 3).map(describe);
  if (bad.length > 3) parts.push(`${bad.length - 3} more failed`);
  if (skipped) parts.push(`${skipped} not run (${r.tripped ? 'maxFail exceeded' : 'cancelled'})`);
  if (r.cancelled && !skipped) parts.push('cancelled');
  return { ok: false, summary: `${ok}/${n} ok; ${parts.join('; ')}` };
}

function describe(h: HostResult): string {
  return `${h.host}: ${h.error ?? (h.signal ? `killed by ${h.signal}` : `exit ${h.code}`)}`;
}
