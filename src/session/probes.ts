/** The `http` and `expect` step kinds: a GET with an expected status, and a panel check. */
import { holds } from '../runbook/check.js';
import { expandEnv } from '../runbook/env.js';
import type { Step } from '../runbook/schema.js';
import { panelRow, DEFAULT_INTERVAL_MS } from '../core/select-health.js';
import { sampleNumber, type SampleValue } from '../core/events.js';
import { formatCheck, formatRatio, formatValue } from '../core/format.js';
import type { SessionState } from '../core/state.js';

/** Result of a probe: passed with a detail, or failed with a reason. */
export type ProbeResult = { ok: true; detail: string } | { ok: false; error: string };

/** GETs the URL; passes when the status is the expected one (default 200). */
export async function httpProbe(
  http: NonNullable<Step['http']>,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  now: () => number,
): Promise<ProbeResult> {
  const want = http.status ?? 200;
  const timeout = http.timeout ?? 10_000;
  const started = now();
  try {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(http.headers ?? {})) headers[k] = expandEnv(v, env, `http header ${k}`);
    const url = expandEnv(http.url, env, 'http.url');
    const res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.any([signal, AbortSignal.timeout(timeout)]) });
    await res.body?.cancel().catch(() => {});
    const ms = now() - started;
    return res.status === want
      ? { ok: true, detail: `HTTP ${res.status} in ${ms}ms` }
      : { ok: false, error: `${http.url} answered HTTP ${res.status}, expected ${want}` };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    if (signal.aborted) return { ok: false, error: 'cancelled' };
    if (err.name === 'TimeoutError') return { ok: false, error: `${http.url}: no answer within ${timeout}ms` };
    const code = err.cause?.code;
    return {
      ok: false,
      error: `${http.url}: ${code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'host not found (DNS)' : err.message}`,
    };
  }
}

/** Checks an `expect` step against the panel's current value in state; undefined when it cannot tell yet. */
export function expectNow(exp: NonNullable<Step['expect']>, state: SessionState, now: number): ProbeResult {
  const rb = state.session?.runbook;
  const panel = rb?.health?.find((p) => p.id === exp.panel);
  if (!panel) return { ok: false, error: `no panel '${exp.panel}'` };
  const row = panelRow(panel, state.panels[panel.id], now, panel.interval ?? rb?.prometheus?.interval ?? DEFAULT_INTERVAL_MS);
  if (
    row.status === 'waiting' ||
    row.status === 'nodata' ||
    row.status === 'stale' ||
    row.status === 'unreachable' ||
    row.status === 'error'
  )
    return { ok: false, error: `${panel.id} has no usable value (${row.text}${row.detail ? `: ${row.detail}` : ''})` };
  const check = formatCheck(exp.check, panel.unit);
  if (exp.check.ratio) {
    const ratio = row.compare?.ratio;
    if (ratio === undefined) return { ok: false, error: `${panel.id}: ratio unknown (${row.detail ?? 'no baseline'})` };
    const shown = formatRatio(ratio, [exp.check.value]);
    return holds(exp.check, ratio)
      ? { ok: true, detail: `${panel.id} ratio ${shown} ${check.replace(/^ratio /, '')}` }
      : { ok: false, error: `${panel.id} ratio ${shown}, expected ${check}` };
  }
  // Every series must pass, not just the top few the pane shows.
  const all = state.panels[panel.id]?.sample?.series ?? [];
  const values = panel.compare ? (row.value !== undefined ? [row.value] : []) : all.map((s) => s.value);
  const bad = values.find((v) => !holds(exp.check, sampleNumber(v)));
  if (values.length === 0) return { ok: false, error: `${panel.id} has no value` };
  const shown = (v: SampleValue) => formatValue(v, panel.unit, [exp.check.value]);
  return bad === undefined
    ? { ok: true, detail: `${panel.id} ${shown(values[0])} ${check}` }
    : { ok: false, error: `${panel.id} is ${shown(bad)}, expected ${check}` };
}
