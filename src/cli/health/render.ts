/**
 * `cutover health` output: the health rows (the same rows the health pane shows) as text for
 * people or JSON for scripts, and the exit code they add up to.
 */
import type { Alert } from '../../core/events.js';
import { formatCheck } from '../../core/format.js';
import { TOP_SERIES, type HealthRow, type PanelStatus } from '../../core/select-health.js';
import type { TriggerRow } from '../../core/select-triggers.js';
import { sanitizeLine } from '../../core/controls.js';
import type { Panel } from '../../runbook/schema.js';

/** Everything one round of `cutover health` shows. */
export interface HealthReport {
  runbook: string;
  file: string;
  /** Prometheus base URL as the runbook writes it (credentials removed). */
  prometheus: string;
  at: number;
  rows: HealthRow[];
  alerts?: { list: Alert[]; error?: string };
  /** Pending and firing triggers (watch mode only: one round cannot measure `for`). */
  triggers?: TriggerRow[];
  recommended?: { level: string; reason: string };
}

/** The overall verdict and its exit code. */
export interface Verdict {
  status: 'ok' | 'warning' | 'critical' | 'unknown';
  code: 0 | 1 | 2 | 3;
}

const UNKNOWN: PanelStatus[] = ['nodata', 'stale', 'unreachable', 'error', 'waiting', 'unknown'];

/** 2 when any panel is critical; else 3 when any is unknown; else 1 when any warns; else 0. */
export function verdict(rows: HealthRow[]): Verdict {
  if (rows.some((r) => r.status === 'crit')) return { status: 'critical', code: 2 };
  if (rows.some((r) => UNKNOWN.includes(r.status))) return { status: 'unknown', code: 3 };
  if (rows.some((r) => r.status === 'warn')) return { status: 'warning', code: 1 };
  return { status: 'ok', code: 0 };
}

/** One JSON object (one line) for scripts; `points` are left out. */
export function renderJson(r: HealthReport): string {
  const v = verdict(r.rows);
  const panels = r.rows.map(({ points: _points, ...row }) => row);
  return `${JSON.stringify({
    runbook: r.runbook,
    file: r.file,
    prometheus: r.prometheus,
    at: new Date(r.at).toISOString(),
    status: v.status,
    exit: v.code,
    panels,
    ...(r.alerts ? { alerts: { firing: r.alerts.list, ...(r.alerts.error ? { error: r.alerts.error } : {}) } } : {}),
    ...(r.triggers ? { triggers: r.triggers } : {}),
    ...(r.recommended ? { recommended: r.recommended } : {}),
  })}\n`;
}

const LABEL: Record<PanelStatus, string> = {
  ok: 'OK',
  warn: 'WARN',
  crit: 'CRIT',
  nodata: 'NODATA',
  stale: 'STALE',
  unreachable: 'UNREACH',
  error: 'ERROR',
  waiting: 'WAIT',
  unknown: 'UNKNOWN',
};
const COLOR: Record<PanelStatus, number> = {
  ok: 32,
  warn: 33,
  crit: 31,
  nodata: 35,
  stale: 35,
  unreachable: 35,
  error: 35,
  waiting: 2,
  unknown: 35,
};
const VERDICT_COLOR: Record<Verdict['status'], number> = { ok: 32, warning: 33, critical: 31, unknown: 35 };

/** The report as aligned text; colours only when `color` (a TTY without NO_COLOR). */
export function renderText(r: HealthReport, panels: Panel[], color: boolean): string {
  const paint = (code: number, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const byId = new Map(panels.map((p) => [p.id, p]));
  const titleW = Math.min(32, Math.max(5, ...r.rows.map((x) => x.title.length)));
  const values = r.rows.map(valueText);
  const valueW = Math.min(36, Math.max(5, ...values.map((v) => v.length)));
  const out: string[] = [`${r.runbook}  (${r.file}, Prometheus ${r.prometheus}, ${clock(r.at)})`];
  if (r.rows.length === 0) out.push('  no health panels in this runbook');
  r.rows.forEach((row, i) => {
    const checks = checkText(byId.get(row.id));
    const status = paint(COLOR[row.status], LABEL[row.status].padEnd(7));
    out.push(`  ${status} ${fit(row.title, titleW)}  ${values[i].padEnd(valueW)}  ${checks}`.trimEnd());
    const pad = ' '.repeat(10);
    if (row.detail) out.push(`${pad}${clean(row.detail)}`);
    if (row.seriesCount > 1) {
      for (const s of row.series) out.push(`${pad}${s.text.padStart(8)}  ${clean(s.labels)}`);
      if (row.seriesCount > TOP_SERIES) out.push(`${pad}… ${row.seriesCount - TOP_SERIES} more series`);
    }
    for (const w of row.warnings ?? []) out.push(`${pad}${paint(33, 'warning:')} ${clean(w)}`);
  });
  if (r.alerts) out.push(...alertLines(r.alerts, paint));
  if (r.triggers?.length) {
    out.push('triggers:');
    for (const t of r.triggers)
      out.push(
        `  ${paint(t.state === 'firing' ? 31 : 33, t.state.toUpperCase().padEnd(7))} ${t.id} (${t.severity}): ${t.panel} ${t.reading}${t.since ? ` since ${clock(t.since)}` : ''}`,
      );
  }
  if (r.recommended) out.push(`${paint(31, 'rollback recommended:')} ${r.recommended.level}: ${r.recommended.reason}`);
  const v = verdict(r.rows);
  out.push(`${paint(VERDICT_COLOR[v.status], v.status)} (exit ${v.code})`);
  return `${out.join('\n')}\n`;
}

/** The row's reading: a compare panel's text already holds canary, ratio and baseline, or why not. */
function valueText(row: HealthRow): string {
  return row.text;
}

function checkText(p: Panel | undefined): string {
  if (!p) return '';
  const parts: string[] = [];
  if (p.warn) parts.push(`warn ${formatCheck(p.warn, p.unit)}`);
  if (p.crit) parts.push(`crit ${formatCheck(p.crit, p.unit)}`);
  return parts.join(', ');
}

function alertLines(a: NonNullable<HealthReport['alerts']>, paint: (c: number, s: string) => string): string[] {
  if (a.error) return [`alerts: ${paint(35, 'unknown')}: ${clean(a.error)}`];
  if (a.list.length === 0) return ['alerts: none firing'];
  return [
    `alerts: ${a.list.length} firing`,
    ...a.list.map(
      (x) =>
        `  ${paint(x.severity === 'critical' ? 31 : 33, `[${clean(x.severity ?? 'no severity')}]`)} ${clean(x.name)} since ${clock(x.startsAt)}${x.summary ? `: ${clean(x.summary)}` : ''}`,
    ),
  ];
}

/** Text from servers goes to a terminal as one line: no control sequences, no line breaks. */
const clean = sanitizeLine;

function fit(s: string, w: number): string {
  return s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w);
}

/** Local wall-clock time, HH:MM:SS. */
function clock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
