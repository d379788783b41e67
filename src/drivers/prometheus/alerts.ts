/**
 * Alertmanager's firing alerts (`/api/v2/alerts`): fetched once for `cutover health`, or polled
 * for the console. Only active alerts (not silenced, not inhibited) are shown.
 */
import type { Alert } from '../../core/events.js';
import type { Runbook } from '../../runbook/schema.js';
import type { DriverContext } from '../context.js';
import { DEFAULT_INTERVAL_MS } from '../../core/select-health.js';
import { asMetricError, badResponse, displayUrl, oneLine, plainText } from './errors.js';
import { getJson, StoppedError, type HttpOptions, type HttpTarget } from './http.js';

/** The runbook's alertmanager section. */
export type AlertmanagerTarget = HttpTarget & { filter?: string[] };

/** Asks Alertmanager for its active alerts, oldest first. Throws MetricError. */
export async function fetchAlerts(target: AlertmanagerTarget, opts: HttpOptions & { signal?: AbortSignal } = {}): Promise<Alert[]> {
  const params: [string, string][] = [
    ['active', 'true'],
    ['silenced', 'false'],
    ['inhibited', 'false'],
  ];
  for (const f of target.filter ?? []) params.push(['filter', f]);
  const body = await getJson(target, 'Alertmanager', '/api/v2/alerts', params, opts);
  if (!Array.isArray(body) || body.some((a) => !a || typeof a !== 'object'))
    throw badResponse({ service: 'Alertmanager', url: displayUrl(target.url) }, 'expected a JSON list of alerts');
  return body.map(toAlert).sort((a, b) => a.startsAt - b.startsAt || a.name.localeCompare(b.name));
}

function toAlert(a: { labels?: unknown; annotations?: unknown; startsAt?: unknown }): Alert {
  // Alertmanager's text is untrusted and ends up on a terminal and in the journal: strings only, no control sequences.
  const labels = strings(a.labels);
  const annotations = strings(a.annotations);
  const summary = annotations.summary ?? annotations.description;
  const startsAt = typeof a.startsAt === 'string' ? Date.parse(a.startsAt) : NaN;
  return {
    name: labels.alertname ? oneLine(labels.alertname) : '(no alertname)',
    ...(labels.severity ? { severity: oneLine(labels.severity, 40) } : {}),
    ...(summary ? { summary: oneLine(summary, 300) } : {}),
    startsAt: Number.isFinite(startsAt) ? startsAt : 0,
    labels,
  };
}

function strings(x: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (x && typeof x === 'object')
    for (const [k, v] of Object.entries(x)) if (typeof v === 'string' && k !== '__proto__') out[plainText(k)] = plainText(v);
  return out;
}

/** The runbook's alertmanager section, with the Prometheus timeout (it has none of its own). */
export function alertmanagerTarget(runbook: Runbook): AlertmanagerTarget | undefined {
  const am = runbook.alertmanager;
  if (!am) return undefined;
  const timeout = runbook.prometheus?.timeout;
  return { ...am, ...(timeout !== undefined ? { timeout } : {}) };
}

/** Fetches the alerts once and emits `alerts/updated` or `alerts/failed`; true on success. */
export async function pollAlerts(
  target: AlertmanagerTarget,
  ctx: DriverContext,
  opts: HttpOptions & { signal?: AbortSignal } = {},
): Promise<boolean> {
  try {
    const alerts = await fetchAlerts(target, opts);
    ctx.emit({ type: 'alerts/updated', t: ctx.now(), alerts });
    return true;
  } catch (e) {
    if (e instanceof StoppedError) return false;
    const err = asMetricError(e);
    ctx.emit({ type: 'alerts/failed', t: ctx.now(), kind: err.kind, message: err.message });
    return false;
  }
}

/** A running alerts poller. */
export interface AlertsPoller {
  /** Stops polling; resolves once no request is in flight. */
  stop(): Promise<void>;
}

/**
 * Polls Alertmanager at the runbook's Prometheus interval (one request at a time, backing off on
 * errors like the panels do). Returns undefined when the runbook has no alertmanager section.
 */
export function startAlertsPoller(
  runbook: Runbook,
  ctx: DriverContext,
  opts: HttpOptions & { maxBackoff?: number } = {},
): AlertsPoller | undefined {
  const t = alertmanagerTarget(runbook);
  if (!t) return undefined;
  const interval = runbook.prometheus?.interval ?? DEFAULT_INTERVAL_MS;
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let failures = 0;
  const tick = async () => {
    const ok = await pollAlerts(t, ctx, { ...opts, signal: ac.signal });
    if (ac.signal.aborted) return;
    failures = ok ? 0 : failures + 1;
    const delay = ok ? interval : Math.min(interval * 2 ** (failures - 1), opts.maxBackoff ?? 60_000);
    timer = setTimeout(() => void (running = tick()), delay);
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
