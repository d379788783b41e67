/** One instant sample of one panel, emitted as `metric/sampled` or `metric/failed`. */
import type { Panel } from '../../runbook/schema.js';
import type { DriverContext } from '../context.js';
import type { InstantResult, PromClient } from './client.js';
import { asMetricError } from './errors.js';
import { StoppedError } from './http.js';

/**
 * Queries one panel and emits exactly one event: `metric/sampled` (an empty `series` when the
 * query matched nothing: no data, never 0) or `metric/failed`. Emits nothing when `signal`
 * stopped it. A compare panel asks for the canary, then the baseline at the canary's evaluation
 * time, one request after the other (one request in flight per panel, both at the same instant).
 * Returns true when a sample was emitted.
 */
export async function pollPanel(client: PromClient, panel: Panel, ctx: DriverContext, signal?: AbortSignal): Promise<boolean> {
  const o = signal ? { signal } : {};
  let role: 'canary' | 'baseline' | undefined;
  try {
    let r: InstantResult;
    let baseline: InstantResult | undefined;
    if (panel.compare) {
      role = 'canary';
      r = await client.query(panel.compare.canary, o);
      role = 'baseline';
      baseline = await client.query(panel.compare.baseline, { ...o, ...(r.at !== undefined ? { time: r.at } : {}) });
    } else {
      r = await client.query(panel.query ?? '', o);
    }
    // Stopped while the answer was being read: nothing is emitted after stop().
    if (signal?.aborted) return false;
    const t = ctx.now();
    const warnings = [...r.warnings, ...(baseline?.warnings ?? [])];
    ctx.emit({
      type: 'metric/sampled',
      t,
      panel: panel.id,
      at: r.at ?? baseline?.at ?? t,
      series: r.series,
      ...(baseline ? { baseline: baseline.series } : {}),
      ...(warnings.length ? { warnings } : {}),
    });
    return true;
  } catch (e) {
    if (e instanceof StoppedError || signal?.aborted) return false;
    const err = asMetricError(e);
    ctx.emit({ type: 'metric/failed', t: ctx.now(), panel: panel.id, kind: err.kind, message: err.message, ...(role ? { role } : {}) });
    return false;
  }
}
